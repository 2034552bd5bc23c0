"""Representativeness of statements for each group, as in Polis (math/src/.../repness.clj)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from alteram.engine.types import FloatArray, IntArray, VoteCounts

Z_90 = 1.2816
MAX_REPRESENTATIVE = 5


def group_counts(matrix: sp.csr_matrix, labels: IntArray, n_groups: int) -> VoteCounts:
    """Agree, disagree and seen (any vote, pass included) counts per group and statement.

    ``labels`` holds a group per row of ``matrix``, or -1 for rows in no group. One count
    of the keys (group, statement, vote) over the stored votes; rows in no group go to an
    extra group that is dropped.
    """
    m = matrix.tocsr()
    n_s = m.shape[1]
    size = n_groups * n_s * 3
    group = np.asarray(labels, dtype=np.int64)
    group = np.where((group >= 0) & (group < n_groups), group, n_groups)
    key = np.repeat(group * (3 * n_s), np.diff(m.indptr))
    key += m.indices * 3
    key += (m.data + 1.0).astype(np.int64)  # 0 disagree, 1 pass, 2 agree
    per_key = np.bincount(key, minlength=size + 3 * n_s)[:size].astype(np.float64)
    per_key = per_key.reshape(n_groups, n_s, 3)
    return VoteCounts(
        agree=np.ascontiguousarray(per_key[:, :, 2]),
        disagree=np.ascontiguousarray(per_key[:, :, 0]),
        seen=per_key.sum(axis=2),
    )


def prop_test(successes: FloatArray, n: FloatArray) -> FloatArray:
    """Polis's one-proportion z-score of ``successes`` out of ``n`` against 1/2, with +1."""
    s, t = successes + 1.0, n + 1.0
    return np.asarray(2.0 * np.sqrt(t) * (s / t - 0.5))


def two_prop_test(s1: FloatArray, n1: FloatArray, s2: FloatArray, n2: FloatArray) -> FloatArray:
    """Polis's two-proportion z-score (each count +1)."""
    s1, n1, s2, n2 = s1 + 1.0, n1 + 1.0, s2 + 1.0, n2 + 1.0
    p1, p2 = s1 / n1, s2 / n2
    ph = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(ph * (1.0 - ph) * (1.0 / n1 + 1.0 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(p1 == p2, 0.0, (p1 - p2) / np.where(denom > 0, denom, 1.0))
    return np.asarray(z)


@dataclass(frozen=True)
class Repness:
    """Per group (rows) and statement (columns) representativeness statistics."""

    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray

    def representative(self, group: int, eligible: np.ndarray) -> list[tuple[int, str, float]]:
        """Up to five (statement index, 'agree'|'disagree', metric) for ``group``, best first.

        A statement qualifies when both the group's own proportion and its difference from
        the rest pass the 90% one-sided z threshold (Polis's ``passes-by-test?``); when none
        qualifies the single best statement by the metric is returned, as Polis does.
        """
        g = group
        agree_metric = self.ra[g] * self.rat[g] * self.pa[g] * self.pat[g]
        dis_metric = self.rd[g] * self.rdt[g] * self.pd[g] * self.pdt[g]
        is_agree = self.rat[g] >= self.rdt[g]
        metric = np.where(is_agree, agree_metric, dis_metric)
        passes = ((self.rat[g] > Z_90) & (self.pat[g] > Z_90)) | (
            (self.rdt[g] > Z_90) & (self.pdt[g] > Z_90)
        )
        idx = np.flatnonzero(eligible & passes)
        if len(idx) == 0:
            idx = np.flatnonzero(eligible)
            if len(idx) == 0:
                return []
            idx = idx[np.argsort(-metric[idx], kind="stable")][:1]
        idx = idx[np.argsort(-metric[idx], kind="stable")][:MAX_REPRESENTATIVE]
        return [(int(j), "agree" if is_agree[j] else "disagree", float(metric[j])) for j in idx]


def repness(counts: VoteCounts) -> Repness:
    """Representativeness of each statement for each group against all other groups."""
    na, nd, ns = counts.agree, counts.disagree, counts.seen
    ra_, rd_, rs_ = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (na + 1.0) / (ns + 2.0), (nd + 1.0) / (ns + 2.0)
    pa_rest, pd_rest = (ra_ + 1.0) / (rs_ + 2.0), (rd_ + 1.0) / (rs_ + 2.0)
    return Repness(
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / pa_rest,
        rd=pd / pd_rest,
        rat=two_prop_test(na, ns, ra_, rs_),
        rdt=two_prop_test(nd, ns, rd_, rs_),
    )
