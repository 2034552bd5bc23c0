from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alteram.errors import InvalidInput
from alteram.interop.polis import read_polis_export

VOTES = "timestamp,datetime,comment-id,voter-id,vote\n"
COMMENTS = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"


def export(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name.replace('_', '-')}.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_reads_a_small_export(tmp_path: Path) -> None:
    folder = export(
        tmp_path,
        votes=VOTES + "1000,x,0,5,1\n2000,x,0,5,-1\n1500,x,1,6,0\n",
        comments=COMMENTS + '1,x,0,5,0,1,1,"multi\nline, text"\n2,x,1,5,0,0,-1,"meta"\n',
        summary='topic,"A, topic"\nurl,https://pol.is/x\n',
        participants_votes="participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
        "5,0,2,1,0,1,-1,\n6,,0,1,0,0,,0\n",
    )
    e = read_polis_export(folder)
    assert e.votes_source == "votes.csv"
    assert e.votes.to_dict("list") == {
        "participant": [5, 5, 6],
        "statement": [0, 0, 1],
        "vote": [1, -1, 0],
        "time": [1000, 2000, 1500],
    }
    assert e.comments["statement"].tolist() == [0, 1]
    assert e.comments["text"].tolist() == ["multi\nline, text", "meta"]
    assert e.moderated_out == [1]
    assert e.groups == {5: 0, 6: None}
    assert e.summary == {"topic": "A, topic", "url": "https://pol.is/x"}


def test_falls_back_to_the_wide_file(tmp_path: Path) -> None:
    folder = export(
        tmp_path,
        participants_votes="participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,3,7\n"
        "0,,1,0,2,1,1,1,-1\n1,,,0,1,0,0,,0\n",
    )
    e = read_polis_export(folder)
    assert e.votes_source == "participants-votes.csv"
    assert e.votes[["participant", "statement", "vote"]].values.tolist() == [
        [0, 3, 1],
        [0, 7, -1],
        [1, 7, 0],
    ]
    assert e.moderated_out == [] and e.summary == {}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"votes": "timestamp,comment-id,vote\n1,2,1\n"},
            r"votes.csv line 1 column 'voter-id': missing column",
        ),
        (
            {"votes": VOTES + "1,x,0,1,1\n2,x,0,1,2\n"},
            r"votes.csv line 3 column 'vote': 2 is not one of \[-1, 0, 1\]",
        ),
        (
            {"votes": VOTES + "1,x,zero,1,1\n"},
            r"votes.csv line 2 column 'comment-id': 'zero' is not an integer",
        ),
        ({"votes": VOTES + "1,x,0,1\n"}, r"votes.csv line 2: has 4 fields, the header has 5"),
        (
            {"votes": "timestamp,timestamp,comment-id,voter-id,vote\n"},
            r"votes.csv line 1 column 'timestamp': this column appears more than once",
        ),
        ({"votes": ""}, r"votes.csv line 1: the file is empty"),
        (
            {"votes": VOTES, "comments": COMMENTS + '1,x,0,0,0,0,1,"a"\n2,x,0,0,0,0,1,"b"\n'},
            r"comments.csv line 3 column 'comment-id': comment 0 appears twice",
        ),
        (
            {"votes": VOTES, "comments": COMMENTS + '1,x,0,0,0,0,2,"a"\n'},
            r"comments.csv line 2 column 'moderated': 2 is not one of",
        ),
        (
            {"votes": VOTES, "comments": "comment-id,comment-body\n"},
            r"comments.csv line 1 column 'moderated': missing column",
        ),
        (
            {"participants_votes": "participant,group-id,0\n1,,1\n1,,0\n"},
            r"participants-votes.csv line 3 column 'participant': participant 1 appears twice",
        ),
        (
            {"participants_votes": "participant,group-id,0\n1,,yes\n"},
            r"participants-votes.csv line 2 column '0': 'yes' is not an integer",
        ),
        (
            {"participants_votes": "participant,group-id,colour\n"},
            r"participants-votes.csv line 1 column 'colour': is neither a known column",
        ),
        ({"votes": VOTES, "summary": "a,b,c\n"}, r"summary.csv line 1: expected key,value"),
        ({"comments": COMMENTS}, r"has neither votes.csv nor participants-votes.csv"),
        # A file cut short inside a quoted field: named at the record's line and column.
        (
            {"votes": VOTES, "comments": COMMENTS + '1,x,0,5,0,1,1,"fine"\n2,x,1,5,0,0,1,"cut'},
            r"comments.csv line 3 column 'comment-body': a quoted field opens here and is "
            r"never closed",
        ),
        (
            {"votes": VOTES, "comments": COMMENTS + '1,x,0,5,0,1,1,"cut\nshort,\n'},
            r"comments.csv line 2 column 'comment-body': a quoted field opens here",
        ),
        # A header-only votes.csv beside a wide file that has votes.
        (
            {"votes": VOTES, "participants_votes": "participant,group-id,0\n1,,1\n"},
            r"votes.csv line 2: has a header and no votes, but participants-votes.csv holds 1",
        ),
        # Ids and times out of range.
        (
            {"votes": VOTES + f"1,x,0,{2**63},1\n"},
            r"votes.csv line 2 column 'voter-id': 9223372036854775808 is out of range",
        ),
        (
            {"votes": VOTES + "1,x,-4,1,1\n"},
            r"votes.csv line 2 column 'comment-id': -4 is out of range",
        ),
        (
            {"votes": VOTES + f"{10**20},x,0,1,1\n"},
            r"votes.csv line 2 column 'timestamp': 100000000000000000000 is out of range",
        ),
        (
            {"votes": VOTES, "comments": COMMENTS + f"1,x,{10**30},5,0,1,1,a\n"},
            r"comments.csv line 2 column 'comment-id': 1000.*\.\.\. is out of range",
        ),
        (
            {"participants_votes": f"participant,group-id,{2**64}\n1,,1\n"},
            r"participants-votes.csv line 1 column '18446744073709551616': .* is out of range",
        ),
        (
            {"votes": VOTES, "comments": COMMENTS + '1,x,0,5,0,1,1,"nul \x00 here"\n'},
            r"comments.csv line 2 column 'comment-body': holds a NUL character",
        ),
    ],
)
def test_malformed_exports_name_file_line_and_column(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as info:
        read_polis_export(export(tmp_path, **files))
    if "line" in message:
        assert "Re-export" in str(info.value)


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "votes.csv").write_bytes(b"timestamp,comment-id,voter-id,vote\n1,\xff,1,1\n")
    with pytest.raises(InvalidInput, match=r"votes\.csv: is not UTF-8"):
        read_polis_export(tmp_path)


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="is not a folder"):
        read_polis_export(tmp_path / "nope")


def test_real_exports_agree_is_plus_one(shared_data: Path) -> None:
    root = shared_data / "polis-opendata"
    checked = 0
    for folder in sorted(p for p in root.iterdir() if (p / "votes.csv").is_file()):
        e = read_polis_export(folder)
        latest = e.votes.sort_values("time", kind="stable").drop_duplicates(
            ["participant", "statement"], keep="last"
        )
        plus = latest[latest.vote == 1].groupby("statement").size()
        minus = latest[latest.vote == -1].groupby("statement").size()
        c = e.comments.set_index("statement")
        both = c.index.intersection(plus.index).intersection(minus.index)
        assert np.corrcoef(plus[both], c.loc[both, "agrees"])[0, 1] > 0.99, folder.name
        assert np.corrcoef(minus[both], c.loc[both, "disagrees"])[0, 1] > 0.99, folder.name
        checked += 1
    assert checked >= 8


def test_real_wide_export(shared_data: Path) -> None:
    e = read_polis_export(shared_data / "polis-opendata" / "american-assembly.bowling-green")
    assert e.votes_source == "participants-votes.csv"
    assert len(e.votes) == 225524
    assert e.votes["participant"].nunique() == 2031
    assert sum(g is not None for g in e.groups.values()) > 1000
    assert e.summary["topic"]
