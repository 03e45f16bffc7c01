"""The route table of the differential test as a Flask app, written the way Flask's docs write routes.

Werkzeug routes the percent-decoded path as it arrives: it never resolves dot segments (`/secret/../pub/x` runs
the /secret handler), decodes %2F into a separator, and redirects paths with repeated slashes. Usage:
python3 flask_app.py <port>; prints READY once listening.
"""

import base64
import json
import logging
import sys

from flask import Flask, jsonify, request

app = Flask(__name__)


def reply(served, status=200):
    body = dict(
        upstream="flask",
        served=served,
        method=request.method,
        target=request.environ.get("REQUEST_URI") or request.environ.get("RAW_URI") or "",
        routeId=request.headers.get("X-Auth-Route-ID"),
        clientId=request.headers.get("X-Auth-Client-ID"),
        authorization=request.headers.get("Authorization"),
    )
    # A HEAD's answer has no body (Flask runs the GET view for it): the same reply in a header (reply.ts).
    header = base64.b64encode(json.dumps(body).encode()).decode()
    return jsonify(body), status, {"X-Parity-Reply": header}


@app.route("/pub", methods=["GET", "POST"])
@app.route("/pub/", methods=["GET", "POST"], defaults={"rest": ""})
@app.route("/pub/<path:rest>", methods=["GET", "POST"])
def pub(rest=""):
    return reply("pub")


@app.route("/secret")
@app.route("/secret/", defaults={"rest": ""})
@app.route("/secret/<path:rest>")
def secret(rest=""):
    return reply("secret")


@app.route("/key", methods=["GET", "POST", "DELETE"])
@app.route("/key/", methods=["GET", "POST", "DELETE"], defaults={"rest": ""})
@app.route("/key/<path:rest>", methods=["GET", "POST", "DELETE"])
def key(rest=""):
    return reply("key")


@app.route("/exact")
def exact():
    return reply("exact")


# Flask ignores Host unless host_matching is on: the internal docs are served for any name.
@app.route("/docs/internal")
@app.route("/docs/internal/", defaults={"rest": ""})
@app.route("/docs/internal/<path:rest>")
def docs_internal(rest=""):
    return reply("docsInternal")


@app.route("/docs")
@app.route("/docs/", defaults={"rest": ""})
@app.route("/docs/<path:rest>")
def docs(rest=""):
    return reply("docs")


@app.route("/", defaults={"rest": ""})
@app.route("/<path:rest>")
def any_path(rest=""):
    return reply("any")


@app.errorhandler(404)
@app.errorhandler(405)
def not_served(_error):
    return reply(None, 404)


if __name__ == "__main__":
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = int(sys.argv[1])
    print("READY", flush=True)
    app.run(host="127.0.0.1", port=port, threaded=True)
