"""An independent exact check for small instances: the transportation LP over ALL
feasible pairs, solved by HiGHS. The constraint matrix of a bipartite b-matching is
totally unimodular, so the LP optimum is the integer optimum and an upper bound."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from .problem import Mentors, Students
from .score import block_scores, prepare
from .solve import _take


def lp_optimum(st: Students, mt: Mentors) -> float:
    """Best total score over every feasible pair (towns solved together)."""
    rows, cols, weights = [], [], []
    for town in np.unique(st.town):
        s_idx = np.flatnonzero(st.town == town)
        m_idx = np.flatnonzero(mt.town == town)
        if len(m_idx) == 0:
            continue
        p = prepare(_take(st, s_idx), _take(mt, m_idx))
        scores = block_scores(p, np.arange(len(s_idx)))
        r, c = np.nonzero(scores)
        rows.append(s_idx[r])
        cols.append(m_idx[c])
        weights.append(scores[r, c].astype(np.float64))
    if not rows or sum(len(r) for r in rows) == 0:
        return 0.0
    r, c, w = np.concatenate(rows), np.concatenate(cols), np.concatenate(weights)
    e = len(w)
    a = sp.vstack(
        [
            sp.csr_matrix((np.ones(e), (r, np.arange(e))), shape=(len(st), e)),
            sp.csr_matrix((np.ones(e), (c, np.arange(e))), shape=(len(mt), e)),
        ]
    ).tocsr()
    b = np.concatenate([np.ones(len(st)), mt.capacity.astype(np.float64)])
    res = linprog(-w, A_ub=a, b_ub=b, bounds=(0, 1), method="highs")
    if res.status != 0:  # pragma: no cover
        raise RuntimeError(res.message)
    return float(-res.fun)
