"""A district's video platform, as far as wangge meets it: a gateway serving an HLS stream (a
test pattern encoded by Debian's ffmpeg, H.264 as cameras send it) with the CORS header a
player's frame capture needs, and the AI box posting signed events."""

import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from wangge.video.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_of

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"


def make_hls(folder: Path, seconds: int = 30) -> Path:
    """A 320×240 test pattern at 10 fps in 2-second segments; returns the playlist."""
    folder.mkdir(parents=True, exist_ok=True)
    playlist = folder / "live.m3u8"
    subprocess.run(
        [FFMPEG, "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", "testsrc=size=320x240:rate=10", "-t", str(seconds),
         "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", "10",
         "-f", "hls", "-hls_time", "2", "-hls_list_size", "0",
         "-hls_playlist_type", "vod", str(playlist)],
        check=True,
    )  # fmt: skip
    return playlist


def make_flv(folder: Path, seconds: int = 30) -> Path:
    """The same pattern as one HTTP-FLV stream, as a gateway's `…/x.flv` serves it."""
    folder.mkdir(parents=True, exist_ok=True)
    stream = folder / "live.flv"
    subprocess.run(
        [FFMPEG, "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", "testsrc=size=320x240:rate=10", "-t", str(seconds),
         "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", "10",
         "-f", "flv", str(stream)],
        check=True,
    )  # fmt: skip
    return stream


class _Gateway(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # The gateway lets the desk's origin read the frames (canvas capture needs it).
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def gateway(folder: Path) -> Iterator[str]:
    """Serves `folder` over HTTP; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Gateway, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def post_event(base: str, secret: str, body: dict[str, Any]) -> httpx.Response:
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: signature_of(raw, stamp, secret),
    }
    return httpx.post(f"{base}/api/v1/video/events", content=raw, headers=headers, timeout=30)
