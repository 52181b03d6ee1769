"""Issue 17: shell completion (bash, zsh) and the man page come from cordon's command table and are
installed with the binary by `cmake --install`; `cpack -G DEB` makes a .deb of the same files. Reuses
the built binary and build folder (nothing is compiled): CORDON_BIN, its build folder two levels up
(build/src/cli/cordon -> build), or CORDON_BUILD_DIR.

Run from the repository root:  python3 -m unittest tests/integration/install_test.py -v
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import cordon_bin, run_cordon  # noqa: E402


def build_dir() -> Path:
    if os.environ.get("CORDON_BUILD_DIR"):
        return Path(os.environ["CORDON_BUILD_DIR"]).resolve()
    return Path(cordon_bin()).resolve().parents[2]


def bash_complete(script: Path, words: list[str]) -> list[str]:
    """What bash's completion offers for the last of `words` (COMP_WORDS, the cursor on the last)."""
    line = " ".join(f"'{w}'" for w in words)
    code = (f"source '{script}'; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _cordon; "
            "printf '%s\\n' \"${COMPREPLY[@]}\"")
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", code], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 0, proc.stderr
    return [w for w in proc.stdout.splitlines() if w]


def help_flags(command: list[str]) -> set[str]:
    """The long flags `cordon help COMMAND` lists (CLI11's option lines: "  -h,--help", "  --case TEXT")."""
    proc = run_cordon(["help", *command])
    out = set()
    for line in proc.stdout.splitlines():
        m = re.match(r"^\s+(?:-\w,)?(--[a-z][a-z0-9-]*)", line)
        if m:
            out.add(m.group(1))
    return out


class CompletionTests(unittest.TestCase):

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cordon-completion-"))
        self.addCleanup(shutil.rmtree, self.dir, True)

    def script(self, shell: str) -> Path:
        proc = run_cordon(["completion", shell])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        path = self.dir / f"cordon.{shell}"
        path.write_text(proc.stdout)
        return path

    def test_bash_script_parses_and_completes_commands_subcommands_and_flags(self):
        script = self.script("bash")
        proc = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(bash_complete(script, ["cordon", "cont"]), ["contain"])
        self.assertEqual(bash_complete(script, ["cordon", "lab", "u"]), ["up"])
        self.assertLessEqual({"list", "show", "verify", "report", "note"},
                             set(bash_complete(script, ["cordon", "case", ""])))
        self.assertEqual(bash_complete(script, ["cordon", "contain", "--pl"]), ["--plan"])
        self.assertEqual(bash_complete(script, ["cordon", "release", "--pl"]), ["--plan"])
        self.assertIn("--ami", bash_complete(script, ["cordon", "lab", "up", "--"]))
        self.assertIn("--cases-dir", bash_complete(script, ["cordon", "case", "show", "--ca"]))

    def test_bash_offers_exactly_the_flags_help_shows(self):
        script = self.script("bash")
        for command in (["contain"], ["triage"], ["preserve"], ["release"], ["lab", "up"], ["hunt"]):
            with self.subTest(command=command):
                offered = set(bash_complete(script, ["cordon", *command, "--"]))
                self.assertEqual(offered, help_flags(command))

    def test_zsh_script_names_every_command(self):
        text = self.script("zsh").read_text()
        self.assertTrue(text.startswith("#compdef cordon\n"))
        listed = run_cordon(["help"]).stdout
        for word in ("triage", "contain", "preserve", "release", "lab", "case", "completion", "man"):
            self.assertIn(f"'{word}:", text)
            self.assertIn(word, listed)
        if shutil.which("zsh"):  # zsh is not on every machine; bash is
            proc = subprocess.run(["zsh", "-n", str(self.dir / "cordon.zsh")], capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stderr)


class ManPageTests(unittest.TestCase):

    def test_man_renders_the_page_with_every_command(self):
        tmp = Path(tempfile.mkdtemp(prefix="cordon-man-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        page = tmp / "cordon.1"
        proc = run_cordon(["man"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        page.write_text(proc.stdout)
        env = {**os.environ, "MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat", "MAN_KEEP_FORMATTING": ""}
        shown = subprocess.run(["man", "-l", str(page)], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertNotIn("warning", shown.stderr)
        text = re.sub(r".\x08", "", shown.stdout)  # overstrike bold/underline, if any
        self.assertIn("CORDON(1)", text)
        self.assertIn("cordon contain", text)
        self.assertIn("cordon lab up", text)
        self.assertIn("--plan", text)
        self.assertIn("NO_COLOR", text)


class InstallTests(unittest.TestCase):

    def setUp(self):
        self.build = build_dir()
        self.assertTrue((self.build / "CMakeCache.txt").is_file(), f"no build folder at {self.build}")
        self.tmp = Path(tempfile.mkdtemp(prefix="cordon-install-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_cmake_install_puts_the_binary_completion_and_man_page_in_the_prefix(self):
        proc = subprocess.run(["cmake", "--install", str(self.build), "--prefix", str(self.tmp)],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        for rel in ("bin/cordon", "share/bash-completion/completions/cordon",
                    "share/zsh/vendor-completions/_cordon", "share/man/man1/cordon.1"):
            self.assertTrue((self.tmp / rel).is_file(), rel)
        installed = subprocess.run([str(self.tmp / "bin/cordon"), "--version"], capture_output=True, text=True)
        self.assertEqual(installed.stdout.strip(), run_cordon(["--version"]).stdout.strip())
        self.assertEqual((self.tmp / "share/man/man1/cordon.1").read_text(), run_cordon(["man"]).stdout)

    def test_cpack_makes_a_deb_of_the_same_files(self):
        proc = subprocess.run(["cpack", "-G", "DEB", "--config", str(self.build / "CPackConfig.cmake"),
                               "-B", str(self.tmp)], capture_output=True, text=True, timeout=600,
                              cwd=str(self.build))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        (deb,) = self.tmp.glob("*.deb")
        listing = subprocess.run(["dpkg", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
        for path in ("./usr/bin/cordon", "./usr/share/bash-completion/completions/cordon",
                     "./usr/share/zsh/vendor-completions/_cordon", "./usr/share/man/man1/cordon.1"):
            self.assertIn(path, listing)
        info = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Depends"], capture_output=True, text=True,
                              check=True).stdout
        self.assertIn("Package: cordon", info)
        self.assertIn("libcurl", info)  # found by dpkg-shlibdeps, not hand-written


if __name__ == "__main__":
    unittest.main()
