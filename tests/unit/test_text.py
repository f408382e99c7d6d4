import pytest

from loaders.text import DecodeError, decode_filing

SAMPLE = "部门预算收支总表\n\t450新乐市医疗保障局\n\t单位：万元\n"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        SAMPLE.replace("\n", "\r\n").encode("utf-8"),
        SAMPLE.encode("gbk"),
        SAMPLE.encode("gb18030"),
        SAMPLE.replace("\n", "\r\n").encode("gb18030"),
        SAMPLE.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "crlf", "gbk", "gb18030", "gb18030-crlf", "cr"],
)
def test_every_encoding_reads_the_same(data):
    decoded = decode_filing(data)
    assert decoded.text == SAMPLE
    assert decoded.lines[1] == "\t450新乐市医疗保障局"
    assert decoded.content_sha256 == decode_filing(SAMPLE.encode("utf-8")).content_sha256


def test_encoding_is_recorded():
    assert decode_filing(SAMPLE.encode("gbk")).encoding == "gb18030"
    assert decode_filing(b"\xef\xbb\xbf" + SAMPLE.encode()).encoding == "utf-8-sig"
    assert decode_filing(SAMPLE.encode()).encoding == "utf-8"


@pytest.mark.parametrize(
    "data, message",
    [(b"", "empty"), (b"  \n\n", "empty"), (b"PK\x03\x04\x00\x00binary", "binary"), (bytes(range(256)) * 4, "binary")],
)
def test_bad_input_raises_decode_error(data, message):
    with pytest.raises(DecodeError, match=message):
        decode_filing(data)


def test_a_few_damaged_bytes_keep_the_encoding_and_are_counted():
    good = ("部门预算收支总表\n" * 400).encode("utf-8")
    damaged = good[:100] + b"\xff" + good[101:]
    decoded = decode_filing(damaged)
    assert decoded.encoding == "utf-8+damaged" and decoded.damaged >= 1
    assert decoded.lines[-2] == "部门预算收支总表"
    gbk = ("部门预算收支总表\n" * 400).encode("gbk")
    decoded = decode_filing(gbk[:50] + b"\xff\xff" + gbk[52:])
    assert decoded.encoding in ("gb18030", "gb18030+damaged")


def test_mostly_undecodable_text_is_refused():
    with pytest.raises(DecodeError, match="not UTF-8"):
        decode_filing(bytes(range(0x80, 0x100)) * 50)
