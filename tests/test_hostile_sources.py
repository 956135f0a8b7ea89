"""Only ordinary files inside the guide are sources (issue 14 §1).

A link leaving the guide, a named pipe, a socket, a device, an oversized file or
a file name with a control character is a problem naming the path, found
without reading it: nothing from outside the guide is published or echoed.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from hostile import refused
from sites import NOW, run_build

SECRET = "API_TOKEN=hunter2-very-secret"


def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "secrets.env"
    secret.write_text(f"{SECRET}\n")
    return secret


def one(path: str, message: str, hint: str) -> str:
    return f"The guide was not built: 1 problem to fix.\n1. {path}: {message}\n   hint: {hint}\n"


LINK_OUT = ("is a link to a file outside the guide; it is not read",
            "copy the file into the guide instead of linking to it")


def make_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


CASES = {
    "named pipe": (lambda root, tmp: os.mkfifo(root / "content/pages/pipa.md"),
                   one("content/pages/pipa.md", "is a named pipe, not a file",
                       "remove it: only ordinary files are part of the guide")),
    "socket": (lambda root, tmp: make_socket(root / "static/sock"),
               one("static/sock", "is a socket, not a file", "remove it: only ordinary files are part of the guide")),
    "page linked outside": (lambda root, tmp: (root / "content/pages/rahasia.md").symlink_to(outside(tmp)),
                            one("content/pages/rahasia.md", *LINK_OUT)),
    "settings linked outside": (lambda root, tmp: ((root / "guide.yaml").unlink(),
                                                   (root / "guide.yaml").symlink_to(outside(tmp))),
                                one("guide.yaml", *LINK_OUT)),
    "device": (lambda root, tmp: (root / "static/nol.bin").symlink_to("/dev/zero"),
               one("static/nol.bin", *LINK_OUT)),
    "folder linked outside": (lambda root, tmp: (root / "templates/luar").symlink_to(tmp),
                              one("templates/luar", "is a link to a folder outside the guide; it is not read",
                                  "copy the folder into the guide instead of linking to it")),
    "folder linked inside": (lambda root, tmp: (root / "static/lagi").symlink_to(root / "static"),
                             one("static/lagi", "is a link to a folder; links to folders are not followed",
                                 "move the folder itself here")),
    "dangling link": (lambda root, tmp: (root / "content/pages/hilang.md").symlink_to(tmp / "none.md"),
                      one("content/pages/hilang.md", "is a link to nothing that can be read", "remove the link")),
    "too big": (lambda root, tmp: (root / "content/pages/besar.md").write_text(
                    "---\ntitle: Besar\nsummary: x\norder: 9\n---\n" + "kata " * 300_000),
                one("content/pages/besar.md", "is 1.4 MB, more than the 1 MB a text file may have",
                    "split it into smaller files")),
    "newline in a file name": (lambda root, tmp: (root / "content/pages/baru.md\n").write_text("---\ntitle: x\n---\n"),
                               one("content/pages/baru.md\\n", "the file name contains a control character (U+000A)",
                                   "rename the file: letters, digits, '-', '_' and '.' only")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_only_ordinary_files_inside_the_guide_are_read(case, mini, tmp_path):
    spoil, expected = CASES[case]
    stderr = refused(mini, tmp_path / "site", lambda root: spoil(root, tmp_path))
    assert stderr == expected
    assert "hunter2" not in stderr


def test_a_link_to_a_file_inside_the_guide_is_read(mini, tmp_path):
    (mini / "static/salinan.txt").write_text("salinan\n")
    (mini / "static/tautan.txt").symlink_to(mini / "static/salinan.txt")
    result = run_build(mini, "--out", str(tmp_path / "site"), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/tautan.txt").read_text() == "salinan\n"
