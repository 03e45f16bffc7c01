#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and plays a script against it, for the CLI's interactive tests.

usage: pty-driver.py SCRIPT.json COMMAND [ARGS...]
SCRIPT is a JSON list of steps: {"expect": "<regex>"} waits (15 s at most) until the screen output,
ANSI escapes removed, matches after the previous match; {"send": "<text>"} types text ("\r" is Enter,
"\u001b[B" arrow down, " " toggles a checkbox). Prints one JSON object: {"code", "transcript", "failed"}.
"""
import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>]")


def main():
    steps = json.load(open(sys.argv[1]))
    command = sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(command[0], command, os.environ)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    raw = b""
    cursor = 0
    failed = None

    def read(timeout):
        nonlocal raw
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        raw += chunk
        return True

    def screen():
        return ANSI.sub("", raw.decode("utf-8", "replace"))

    for step in steps:
        if "expect" in step:
            pattern = re.compile(step["expect"])
            deadline = time.time() + step.get("timeout", 15)
            while True:
                match = pattern.search(screen(), cursor)
                if match:
                    cursor = match.end()
                    break
                if time.time() > deadline or not read(0.1):
                    if not pattern.search(screen(), cursor):
                        failed = f"timed out waiting for {step['expect']!r}"
                    break
            if failed:
                break
        elif "send" in step:
            time.sleep(step.get("delay", 0.15))
            os.write(fd, step["send"].encode())
    if failed:
        os.kill(pid, 9)
    while read(5):
        pass
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"code": code, "transcript": screen(), "failed": failed}))


main()
