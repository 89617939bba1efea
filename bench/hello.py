"""The benchmark's yardstick: a plain Flask "hello" page, served by gunicorn exactly as the
portal is, so that a page's throughput can be given as a share of what Flask itself manages on
the same machine in the same run (bench/run.py)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello"
