"""Tile files against hostile paths: only regular files are read or replaced, and nothing blocks."""
import os
import threading

import pytest

from sbecore import SbeError, Tile


def within(seconds, fn, *args):
    """Runs fn(*args) in a thread; fails if it is still running after `seconds` (a blocked open)."""
    box = {}

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            box["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{fn.__name__}{args} blocked for {seconds} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def test_load_refuses_devices_fifos_and_folders(tmp_path):
    with pytest.raises(SbeError, match="is a character device"):
        within(5, Tile.load, "/dev/zero")
    with pytest.raises(SbeError, match="is a directory"):
        Tile.load(tmp_path)
    fifo = tmp_path / "fifo.sbt"
    os.mkfifo(fifo)
    with pytest.raises(SbeError, match="is a FIFO"):
        within(5, Tile.load, fifo)


def test_save_never_replaces_a_link_and_loses_nothing(tmp_path):
    with Tile(3, 4, seed=1) as t, Tile(2, 2, seed=9) as other:
        victim, link = tmp_path / "victim.sbt", tmp_path / "link.sbt"
        t.save(victim)
        before = victim.read_bytes()
        link.symlink_to(victim)
        with pytest.raises(SbeError, match="refusing to replace it"):
            other.save(link)
        with pytest.raises(SbeError, match="refusing to replace it"):
            other.save("/dev/null")
        assert link.is_symlink()
        assert victim.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []
