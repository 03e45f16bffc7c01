"""Sign a request for Gatekeeper with HMAC scheme v2. Python 3.8+, standard library only.

    from gatekeeper_signer import sign_v2
    signed = sign_v2("my-client-id", secret, "POST", "https://api.example.com/api/orders", body=b'{"sku":"A-1"}')
    requests.post(url, data=body, headers=signed["headers"])

Install it (`pip install gatekeeper-signer`, or the packages/signer-python folder of a checkout), or copy
this one file next to your code.

Send the body bytes exactly as signed, and the method upper-cased. The rules are in docs/hmac-signing.md.
"""

import base64
import hashlib
import hmac
import time
import uuid
from urllib.parse import urlsplit

UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
HEX = frozenset(b"0123456789abcdefABCDEF")
HOST_FORBIDDEN = frozenset(' "#%,/?@\\')


def _encode(data):
    """Every byte outside the RFC 3986 unreserved set as %XX, upper-case hex."""
    return "".join(chr(b) if b in UNRESERVED else "%%%02X" % b for b in data)


def _decode(raw, plus_is_space):
    """Decode %XX once, on bytes; '+' is a space in a query, a plus in a path."""
    out = bytearray()
    i = 0
    while i < len(raw):
        b = raw[i]
        if b == 0x25:  # '%'
            pair = raw[i + 1 : i + 3]
            if len(pair) != 2 or not all(c in HEX for c in pair):
                raise ValueError("invalid percent-encoding")
            out.append(int(pair, 16))
            i += 3
        else:
            out.append(0x20 if plus_is_space and b == 0x2B else b)
            i += 1
    return bytes(out)


def canonical_host(host):
    """Lower case, port removed, one trailing dot removed; IPv6 literals keep their brackets."""
    if not host or any(c in HOST_FORBIDDEN or not ("!" <= c <= "~") for c in host):
        raise ValueError("invalid host")
    if host.startswith("["):
        close = host.find("]")
        if close < 0 or "[" in host[1:close]:
            raise ValueError("invalid host")
        name, rest = host[: close + 1], host[close + 1 :]
        if rest and not rest.startswith(":"):
            raise ValueError("invalid host")
        port = rest[1:]
    else:
        name, _, port = host.partition(":")
        if "[" in name or "]" in name:
            raise ValueError("invalid host")
    if len(port) > 5 or not all("0" <= c <= "9" for c in port):
        raise ValueError("invalid host")
    if name.endswith("."):
        name = name[:-1]
    if not name:
        raise ValueError("invalid host")
    return name.lower()


def canonical_path(path):
    """Decode each segment once, resolve '.' and '..', drop empty segments, re-encode (see the docs)."""
    raw = path.encode("utf-8")
    if raw == b"":
        return "/"
    if not raw.startswith(b"/") or b"?" in raw or b"#" in raw:
        raise ValueError("invalid path")
    segments = []
    trailing_slash = False
    for seg in (_decode(s, False) for s in raw[1:].split(b"/")):
        if seg in (b"", b"."):
            trailing_slash = True
        elif seg == b"..":
            if not segments:
                raise ValueError("path above root")
            segments.pop()
            trailing_slash = True
        else:
            segments.append(_encode(seg))
            trailing_slash = False
    if not segments:
        return "/"
    return "/" + "/".join(segments) + ("/" if trailing_slash else "")


def canonical_query(query):
    """Decode names and values once ('+' is a space), re-encode, stable-sort by name, join with '&'."""
    raw = query.encode("utf-8")
    if b"#" in raw:
        raise ValueError("fragment in query")
    pairs = []
    for piece in raw.split(b"&"):
        if not piece:
            continue
        name, _, value = piece.partition(b"=")
        pairs.append((_encode(_decode(name, True)), _encode(_decode(value, True))))
    pairs.sort(key=lambda pair: pair[0])  # stable: a repeated name keeps its values' order
    return "&".join(name + "=" + value for name, value in pairs)


def content_digest(body):
    """RFC 9530 Content-Digest value: sha-256=:<base64 of SHA-256(body)>:"""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + ":"


def sign_v2(client_id, secret, method, url, body=b"", timestamp=None, nonce=None):
    """Returns the headers to send (Authorization, Content-Digest) and the canonical string that was signed."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = str(uuid.uuid4()) if nonce is None else nonce
    parts = urlsplit(url)
    digest = content_digest(body)
    canonical = "\n".join(
        [
            "gk-hmac-v2",
            method.upper(),
            canonical_host(parts.netloc),
            canonical_path(parts.path),
            canonical_query(parts.query),
            str(timestamp),
            nonce,
            digest,
            client_id,
        ]
    )
    signature = hmac.new(secret.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()
    authorization = 'HMAC version="2",client_id="%s",timestamp="%d",nonce="%s",signature="%s"' % (
        client_id,
        timestamp,
        nonce,
        signature,
    )
    return {
        "headers": {"Authorization": authorization, "Content-Digest": digest},
        "authorization": authorization,
        "content_digest": digest,
        "signature": signature,
        "canonical": canonical,
    }
