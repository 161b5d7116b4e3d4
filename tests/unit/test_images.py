"""The illustration's intrinsic size is read from the file itself, for every format the content may use."""

from __future__ import annotations

import struct
import zlib

from site_builder.images import intrinsic_size


def test_svg_width_and_height_then_viewbox(tmp_path):
    sized = tmp_path / "a.svg"
    sized.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="300px" height="150" viewBox="0 0 30 15"/>')
    boxed = tmp_path / "b.svg"
    boxed.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 160"/>')
    percent = tmp_path / "c.svg"
    percent.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"/>')
    assert intrinsic_size(sized) == (300, 150)
    assert intrinsic_size(boxed) == (320, 160)
    assert intrinsic_size(percent) is None


def test_png_and_jpeg_and_webp(tmp_path):
    ihdr = struct.pack(">IIBBBBB", 640, 360, 8, 2, 0, 0, 0)
    png = tmp_path / "a.png"
    png.write_bytes(
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    )
    jpeg = tmp_path / "a.jpg"
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 480, 800, 3) + b"\x00" * 6
    jpeg.write_bytes(b"\xff\xd8" + app0 + sof + b"\xff\xd9")
    webp = tmp_path / "a.webp"
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00" * 4 + (1199).to_bytes(3, "little") + (599).to_bytes(3, "little")
    webp.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x)
    assert intrinsic_size(png) == (640, 360)
    assert intrinsic_size(jpeg) == (800, 480)
    assert intrinsic_size(webp) == (1200, 600)


def test_not_an_image(tmp_path):
    junk = tmp_path / "a.png"
    junk.write_bytes(b"not a png at all")
    broken = tmp_path / "b.svg"
    broken.write_text("<svg")
    assert intrinsic_size(junk) is None
    assert intrinsic_size(broken) is None
