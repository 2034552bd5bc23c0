"""Agreement with Polis's groups, stability under resampling, and usefulness of the groups.

For every open Polis export with Polis's own ``group-id`` (participants-votes.csv):

- ARI: adjusted Rand index between alteram's groups and Polis's, over participants that
  both clustered (alteram with its defaults, k chosen by silhouette);
- stability: 20 times, keep a random 90% of the participants, re-cluster, and take the ARI
  with the groups on everyone over the shared participants; median of the 20;
- usefulness: with the same number of groups as Polis, hide 10% of the votes, fit on the
  rest, predict each hidden vote by the majority vote of the voter's group on that statement
  (in the training votes); compare with Polis's own groups (fitted on all votes), as the
  mean accuracy over ``--splits`` random splits. Polis's groups saw the hidden votes, so the
  same comparison is also shown with alteram's groups fitted on all votes too.

Run: ``.venv/bin/python benchmarks/polis_agreement.py [--resamples 20]``
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from _common import engine_groups, latest, median, polis_data
from alteram.interop.polis import read_polis_export


def ari(a: pd.Series, b: pd.Series) -> float:
    both = a.index.intersection(b.index)
    return float(adjusted_rand_score(a[both], b[both])) if len(both) > 1 else float("nan")


def majority_accuracy(train: pd.DataFrame, test: pd.DataFrame, groups: pd.Series) -> float:
    """Accuracy of predicting test votes by the voter's group's majority on the statement."""
    g = pd.Series(groups, name="group")
    tr = train.join(g, on="participant", how="inner")
    counts = tr.groupby(["group", "statement", "vote"]).size().rename("n").reset_index()
    counts = counts.sort_values(["group", "statement", "n", "vote"], ascending=[1, 1, 0, 0])
    top = counts.drop_duplicates(["group", "statement"]).set_index(["group", "statement"])["vote"]
    overall = train.groupby(["statement", "vote"]).size().rename("n").reset_index()
    overall = overall.sort_values(["statement", "n", "vote"], ascending=[1, 0, 0])
    top_all = overall.drop_duplicates("statement").set_index("statement")["vote"]
    te = test.join(g, on="participant", how="inner")
    keys = pd.MultiIndex.from_arrays([te["group"], te["statement"]])
    pred = pd.Series(top.reindex(keys).to_numpy(), index=te.index)
    pred = pred.fillna(te["statement"].map(top_all)).fillna(1)
    return float((pred.to_numpy() == te["vote"].to_numpy()).mean())


def reddwarf_groups(votes: pd.DataFrame, moderated: list[int], k: int) -> pd.Series | None:
    """Polis's method as red-dwarf 0.4.0 implements it, fitted on ``votes`` with k groups.

    None when red-dwarf is not installed (it is not a dependency of alteram).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from reddwarf.implementations.polis import run_pipeline
    except ImportError:
        return None
    records = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": int(t)}
        for p, s, v, t in votes[["participant", "statement", "vote", "time"]].itertuples(
            index=False
        )
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_pipeline(
            votes=records,
            mod_out_statement_ids=list(moderated),
            random_state=0,
            force_group_count=k,
        )
    ids = result.participants_df["cluster_id"].dropna()
    return pd.Series(ids.to_numpy(dtype=np.int64), index=ids.index.tolist())


def study(folder: str, resamples: int, seed: int, splits: int) -> dict[str, object]:
    export = read_polis_export(folder)
    votes, mod = export.votes, export.moderated_out
    polis = pd.Series({p: g for p, g in export.groups.items() if g is not None}, dtype=np.int64)
    t = time.perf_counter()
    ours = engine_groups(votes, mod)
    elapsed = time.perf_counter() - t
    rng = np.random.default_rng(seed)
    people = np.array(sorted(votes["participant"].unique()))
    stab = []
    for _ in range(resamples):
        keep = rng.choice(people, size=round(0.9 * len(people)), replace=False)
        sub = engine_groups(votes[votes["participant"].isin(keep)], mod)
        stab.append(ari(ours, sub))
    k = int(polis.nunique())
    last = latest(votes)
    last = last[~last["statement"].isin(mod)]
    ours_all = engine_groups(last, mod, n_groups=k)
    acc: dict[str, list[float]] = {
        "ours": [],
        "polis": [],
        "ours_all": [],
        "polis_all": [],
        "ours_rd": [],
        "rd": [],
    }
    hidden_n = 0
    for split in range(splits):
        hidden = np.random.default_rng([seed, split]).random(len(last)) < 0.1
        train, test = last[~hidden], last[hidden]
        ours_k = engine_groups(train, mod, n_groups=k)
        both = ours_k.index.intersection(polis.index)
        part = test[test["participant"].isin(both)]
        acc["ours"].append(majority_accuracy(train, part, ours_k[both]))
        acc["polis"].append(majority_accuracy(train, part, polis[both]))
        # Same information as Polis: both sets of groups fitted on all votes.
        both = ours_all.index.intersection(polis.index)
        part = test[test["participant"].isin(both)]
        acc["ours_all"].append(majority_accuracy(train, part, ours_all[both]))
        acc["polis_all"].append(majority_accuracy(train, part, polis[both]))
        # Polis's method (red-dwarf) fitted on the same training votes as alteram.
        rd = reddwarf_groups(train, mod, k)
        if rd is not None:
            both = ours_k.index.intersection(rd.index)
            part = test[test["participant"].isin(both)]
            acc["ours_rd"].append(majority_accuracy(train, part, ours_k[both]))
            acc["rd"].append(majority_accuracy(train, part, rd[both]))
        hidden_n += len(part)
    mean = {key: float(np.mean(v)) if v else float("nan") for key, v in acc.items()}
    return {
        "conversation": folder.rsplit("/", 1)[-1],
        "source": export.votes_source,
        "clustered": len(ours),
        "polis_clustered": len(polis),
        "k": int(ours.nunique()),
        "polis_k": k,
        "ari": ari(ours, polis),
        "stability": median(stab),
        "stability_min": float(np.min(stab)) if stab else float("nan"),
        "acc_ours": mean["ours"],
        "acc_polis": mean["polis"],
        "split_wins": float(np.mean(np.array(acc["ours"]) >= np.array(acc["polis"]))),
        "acc_ours_all": mean["ours_all"],
        "acc_polis_all": mean["polis_all"],
        "acc_ours_rd": mean["ours_rd"],
        "acc_rd": mean["rd"],
        "hidden": hidden_n // max(splits, 1),
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--splits", type=int, default=5, help="random 10%% hidden-vote splits per conversation"
    )
    args = parser.parse_args()
    root = polis_data()
    rows = []
    for folder in sorted(root.iterdir()):
        wide = folder / "participants-votes.csv"
        if not wide.is_file() or "group-id" not in wide.open().readline():
            continue
        rows.append(study(str(folder), args.resamples, args.seed, args.splits))
        r = rows[-1]
        print(
            f"{r['conversation']:42s} k={r['k']}/{r['polis_k']} ARI={r['ari']:.3f} "
            f"stability={r['stability']:.3f} (min {r['stability_min']:.3f}) "
            f"acc ours={r['acc_ours']:.4f} polis={r['acc_polis']:.4f} "
            f"(wins {r['split_wins']:.0%} of splits; same information: "
            f"{r['acc_ours_all']:.4f} vs {r['acc_polis_all']:.4f}; vs red-dwarf on the same "
            f"votes: {r['acc_ours_rd']:.4f} vs {r['acc_rd']:.4f}) "
            f"({r['clustered']}/{r['polis_clustered']} clustered, {r['source']})",
            flush=True,
        )
    frame = pd.DataFrame(rows)
    better = (frame["acc_ours"] >= frame["acc_polis"]).mean()
    better_all = (frame["acc_ours_all"] >= frame["acc_polis_all"]).mean()
    better_rd = (frame["acc_ours_rd"] >= frame["acc_rd"]).mean()
    has_rd = bool(frame["acc_rd"].notna().all())
    print(f"\nconversations: {len(frame)}")
    print(f"median ARI vs Polis: {frame['ari'].median():.3f}   (goal >= 0.7)")
    print(
        f"median stability (median over {args.resamples} 90% resamples): "
        f"{frame['stability'].median():.3f}   (goal >= 0.9)"
    )
    print(
        f"usefulness: alteram >= Polis on {better:.0%} of conversations   (goal >= 80%; "
        f"mean accuracy over {args.splits} splits, alteram fitted without the hidden votes, "
        "Polis's groups with them)"
    )
    print(
        f"usefulness with the same information (both fitted on all votes): alteram >= Polis "
        f"on {better_all:.0%} of conversations"
    )
    if has_rd:
        print(
            f"usefulness against Polis's method refitted on the same training votes "
            f"(red-dwarf 0.4.0): alteram >= red-dwarf on {better_rd:.0%} of conversations"
        )
    else:
        print("red-dwarf is not installed: no comparison with Polis's method on the same votes")


if __name__ == "__main__":
    main()
