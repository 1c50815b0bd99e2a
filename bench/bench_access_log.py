"""What one gunicorn access-log line costs a worker, with the production logger and format.

    PYTHONPATH=. .venv/bin/python bench/bench_access_log.py [--lines 20000] [--repeat 5]

Builds `RedactingGunicornLogger` as gunicorn does from `wangge.gunicorn_conf` (its
access_log_format, the access log written to /dev/null so the disk is not measured) and logs
`--lines` lines for a JSON intake (`POST /api/v1/cases`, a bearer token in its headers) and as
many for an Open311 POST whose query string carries an api_key and a phone number, which must
come out redacted. Prints the CPU time (process clock) per line, the median of `--repeat` runs.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEY = "wg_1a2b3c4d_" + "Zx9" * 14


def request(uri: str, query: str) -> tuple[dict[str, object], SimpleNamespace]:
    environ: dict[str, object] = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"{uri}?{query}" if query else uri,
        "PATH_INFO": uri,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SCRIPT_NAME": "",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "53012",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) 原点在线/2.3",
        "HTTP_AUTHORIZATION": f"Bearer {KEY}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": "131",
        "wsgi.url_scheme": "http",
    }
    headers = [
        ("HOST", "127.0.0.1:8000"),
        ("USER-AGENT", "Mozilla/5.0 (Linux; Android 14) 原点在线/2.3"),
        ("AUTHORIZATION", f"Bearer {KEY}"),
        ("CONTENT-TYPE", "application/json"),
        ("CONTENT-LENGTH", "131"),
    ]
    return environ, SimpleNamespace(headers=headers)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from gunicorn.config import Config

    from wangge import gunicorn_conf

    cfg = Config()
    cfg.set("accesslog", os.devnull)
    cfg.set("logger_class", gunicorn_conf.logger_class)
    cfg.set("access_log_format", gunicorn_conf.access_log_format)
    logger = cfg.logger_class(cfg)
    response = SimpleNamespace(
        status="201 Created",
        sent=412,
        headers=[("Content-Type", "application/json"), ("Vary", "Accept-Language, Cookie")],
    )
    took = timedelta(milliseconds=23)
    scenarios = {
        "intake": request("/api/v1/cases", ""),
        "open311_post_with_key_in_query": request(
            "/open311/v2/requests.json", f"api_key={KEY}&phone=13912345678"
        ),
    }
    results = {}
    for name, (environ, req) in scenarios.items():
        runs = []
        for _ in range(args.repeat):
            start = time.process_time()
            for _ in range(args.lines):
                logger.access(response, req, environ, took)
            runs.append((time.process_time() - start) / args.lines * 1e6)
        results[name] = round(statistics.median(runs), 1)
    print(
        json.dumps(
            {"benchmark": "one gunicorn access-log line", "us_per_line": results},
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
