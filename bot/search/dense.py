"""The dense side of a question's ranking, as numbers: each row's cosine, each record's best.

Both are on the path of every question, so both avoid the general tools that cost more than
the arithmetic here: a FAISS search sorts every row by score (k = all rows), and
np.maximum.at is a slow unbuffered loop. The numbers are the same to the bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def cosines(dense: Any, qvec: np.ndarray) -> np.ndarray:
    """The inner product of `qvec` with every row of a FAISS flat index, in row order.

    FAISS's own kernel (the one its search uses), without the search's sort of all rows:
    0.03 ms, not 0.15 ms. An index that is not flat is searched.
    """
    import faiss  # loaded with the index already

    query = np.ascontiguousarray(qvec.reshape(-1), dtype=np.float32)
    n = dense.ntotal
    if isinstance(dense, faiss.IndexFlat) and dense.metric_type == faiss.METRIC_INNER_PRODUCT:
        stored = faiss.rev_swig_ptr(dense.get_xb(), n * dense.d)  # a view, not a copy
        out = np.empty(n, dtype=np.float32)
        faiss.fvec_inner_products_ny(
            faiss.swig_ptr(out), faiss.swig_ptr(query), faiss.swig_ptr(stored), dense.d, n
        )
        return out
    scores, ids = dense.search(query.reshape(1, -1), n)
    out = np.empty(n, dtype=np.float32)
    out[ids[0]] = scores[0]
    return out


class BestPerRecord:
    """A record's score as its best row's (-1 for a record with no row): what
    `np.maximum.at(np.full(size, -1.0), positions, by_row[row_ids])` gives, by one reduceat
    over the rows grouped by record."""

    def __init__(self, rows: tuple[np.ndarray, np.ndarray], size: int) -> None:
        row_ids, positions = rows
        order = np.argsort(positions, kind="stable")
        self._rows = row_ids[order]
        grouped = positions[order]
        new_record = np.ones(len(grouped), dtype=bool)
        new_record[1:] = grouped[1:] != grouped[:-1]
        self._starts = np.flatnonzero(new_record)
        self._records = grouped[self._starts]
        self._size = size

    def __call__(self, by_row: np.ndarray) -> np.ndarray:
        best = np.full(self._size, -1.0, dtype=np.float32)
        if len(self._rows):
            top = np.maximum.reduceat(by_row[self._rows], self._starts)
            best[self._records] = np.maximum(top, np.float32(-1.0))
        return best
