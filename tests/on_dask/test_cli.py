"""The commands: export --parquet, analyze parquet / dialogue --dask, and their mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import alteram

LOCAL = ("--dask", "local", "--workers", "1", "--memory-limit", "1GiB")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("dask-cli-demo")
    result = alteram("demo", data_dir=data)
    assert result.returncode == 0, result.stderr
    return data


def test_export_parquet_then_analyse_the_shards_without_a_database(
    demo_dir: Path, tmp_path: Path
) -> None:
    shards = tmp_path / "round2"
    exported = alteram(
        "export", "2", "--parquet", str(shards), "--rows-per-shard", "1000", data_dir=demo_dir
    )
    assert exported.returncode == 0, exported.stderr
    manifest = json.loads((shards / "manifest.json").read_text())
    assert f"{manifest['n_votes']} votes in {len(manifest['shards'])} shard(s)" in exported.stdout
    out = tmp_path / "out.json"
    # no database here: an empty data folder
    analysed = alteram(
        "analyze", "parquet", str(shards), "--json", str(out), *LOCAL, data_dir=tmp_path / "none"
    )
    assert analysed.returncode == 0, analysed.stderr
    result = json.loads(out.read_text())
    assert result["n_votes"] == manifest["n_votes"]
    assert result["n_groups"] >= 2 and result["common_ground"]
    assert "groups" in analysed.stdout and "local cluster" in analysed.stdout
    assert not (tmp_path / "none" / "alteram.db").exists()


def test_analyze_dialogue_on_dask_stores_versions(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    run = alteram(
        "analyze",
        "dialogue",
        "1",
        "--round",
        "2",
        "--json",
        str(out),
        data_dir=demo_dir,
        env={"ALTERAM_DASK_SCHEDULER": "local"},
    )
    assert run.returncode == 0, run.stderr
    assert "Running on a local cluster of 2 worker(s)" in run.stderr
    assert "round 2 (id 2): analysis v" in run.stdout
    assert json.loads(out.read_text())["2"]["diagnostics"]["engine"] == "dask"


def test_dask_mistakes_are_one_clear_line(demo_dir: Path, tmp_path: Path) -> None:
    bad = alteram("analyze", "dialogue", "1", "--dask", "nowhere", data_dir=demo_dir)
    assert bad.returncode == 1
    assert "neither 'local' nor a scheduler address" in bad.stderr
    assert "Traceback" not in bad.stderr
    absent = alteram(
        "analyze", "parquet", str(tmp_path), "--json", str(tmp_path / "o.json"), *LOCAL
    )
    assert absent.returncode == 1 and "no manifest.json" in absent.stderr
    closed = alteram("analyze", "dialogue", "1", "--dask", "tcp://127.0.0.1:9", data_dir=demo_dir)
    assert closed.returncode == 1, closed.stderr
    assert "cannot use the Dask scheduler at tcp://127.0.0.1:9" in closed.stderr
    assert "dask scheduler" in closed.stderr
