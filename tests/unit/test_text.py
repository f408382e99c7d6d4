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
