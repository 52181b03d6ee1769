"""Issue 17: colour for findings and failures on a terminal only, off with NO_COLOR (any non-empty value,
https://no-color.org) or --no-color, never in a pipe; and no escape sequence but cordon's own reaches the
terminal, even when AWS data (a tag) carries one. cordon runs under a pseudo-terminal (the pty module)
and the raw bytes it wrote are checked.

Run from the repository root:  python3 -m unittest tests/integration/colour_test.py -v
"""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helpers  # noqa: E402
from scenario import ResponseCase, client  # noqa: E402

RED = b"\x1b[1;31m"
FINDING = b"\x1b[1;33m"
RESET = b"\x1b[0m"
# Every escape sequence cordon itself writes: SGR codes of base/colour.cc.
OWN = re.compile(rb"\x1b\[(?:1;31|33|1;33|32|0)m")


def run_on_pty(args: list, env: dict | None = None) -> tuple[int, bytes]:
    """cordon ARGS with stdout and stderr on one pseudo-terminal; its exit code and every byte written."""
    master, slave = pty.openpty()
    full_env = helpers.cordon_env()
    full_env.update({"TERM": "xterm-256color"})
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    child = subprocess.Popen([helpers.cordon_bin(), *map(str, args)], stdin=subprocess.DEVNULL, stdout=slave,
                             stderr=slave, env=full_env, close_fds=True)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return child.wait(timeout=300), out


class ColourOnFailures(unittest.TestCase):

    def setUp(self):
        self.cases = tempfile.mkdtemp(prefix="cordon-colour-")
        self.addCleanup(shutil.rmtree, self.cases, True)
        self.args = ["case", "show", "IR-NONE", "--cases-dir", self.cases]

    def test_an_error_is_red_on_a_terminal(self):
        code, out = run_on_pty(self.args)
        self.assertNotEqual(code, 0)
        self.assertIn(b"cordon: " + RED + b"error:" + RESET + b" no case IR-NONE", out)

    def test_no_color_and_the_flag_turn_it_off(self):
        for label, args, env in (("NO_COLOR=1", self.args, {"NO_COLOR": "1"}),
                                 ("NO_COLOR=yes", self.args, {"NO_COLOR": "yes"}),
                                 ("--no-color", [*self.args, "--no-color"], {}),
                                 ("TERM=dumb", self.args, {"TERM": "dumb"})):
            with self.subTest(label):
                code, out = run_on_pty(args, env)
                self.assertNotEqual(code, 0)
                self.assertIn(b"cordon: error: no case IR-NONE", out)
                self.assertNotIn(b"\x1b", out)

    def test_an_empty_no_color_leaves_colour_on(self):
        code, out = run_on_pty(self.args, {"NO_COLOR": ""})  # no-color.org: only a non-empty value counts
        self.assertIn(RED, out)

    def test_never_in_a_pipe(self):
        proc = helpers.run_cordon(self.args, raw=True, env={"TERM": "xterm-256color"})
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(b"cordon: error: no case IR-NONE", proc.stderr)
        self.assertNotIn(b"\x1b", proc.stdout + proc.stderr)


class ColourOnFindings(ResponseCase):

    def test_findings_are_marked_and_data_escapes_are_neutralized(self):
        self.fresh()
        suspect = self.ids["suspect"]
        # a tag planted with an OSC title sequence and a colour of its own
        client("ec2", self.moto).create_tags(Resources=[suspect], Tags=[
            {"Key": "Owner", "Value": "\x1b]0;pwned\x07\x1b[31mroot"}])
        args = ["triage", suspect, "--endpoint-url", self.endpoint, "--region", helpers.REGION]
        code, out = run_on_pty(args)
        self.assertEqual(code, 0, out.decode(errors="replace"))
        self.assertIn(b"  " + FINDING + b"!" + RESET + b" termination protection off", out)
        self.assertNotIn(b"\x1b]0;", out)
        self.assertEqual(OWN.sub(b"", out).count(b"\x1b"), 0, "an escape sequence that is not cordon's own")
        self.assertIn(b"root", out)
        code, plain = run_on_pty([*args, "--no-color"])
        self.assertEqual(code, 0)
        self.assertNotIn(FINDING, plain)
        self.assertIn(b"  ! termination protection off", plain)


if __name__ == "__main__":
    unittest.main()
