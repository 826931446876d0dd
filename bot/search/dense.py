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


class GroupedCosines:
    """`cosines`, with the rows held in groups (a translation's rows, and the rest) and a group
    the question is not shown neither read nor computed: its rows are -1, as masking them after
    computing every row gave. A row's inner product does not depend on the rows beside it in
    the kernel's call (checked to the bit), so the numbers are the same; a quarter of the
    vectors (another translation's rows) are not read from memory on each question.

    `groups` maps a key to the rows it holds (a boolean mask over the rows); the rows of no
    group are always computed. An index that is not flat is searched whole, then masked."""

    def __init__(self, dense: Any, groups: dict[str, np.ndarray]) -> None:
        import faiss  # loaded with the index already

        self._dense = dense
        self._n = n = dense.ntotal
        self._masks = groups
        self._flat = isinstance(dense, faiss.IndexFlat) and (
            dense.metric_type == faiss.METRIC_INNER_PRODUCT
        )
        self._blocks: list[tuple[str | None, np.ndarray, np.ndarray]] = []
        if not self._flat:
            return
        stored = faiss.rev_swig_ptr(dense.get_xb(), n * dense.d).reshape(n, dense.d)
        grouped = np.zeros(n, dtype=bool)
        for key, mask in groups.items():
            grouped |= mask
            self._blocks.append((key, *self._block(stored, mask)))
        self._blocks.insert(0, (None, *self._block(stored, ~grouped)))

    @staticmethod
    def _block(stored: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = np.flatnonzero(mask)
        return rows, np.ascontiguousarray(stored[rows], dtype=np.float32)

    def __call__(self, qvec: np.ndarray, hidden: set[str]) -> np.ndarray:
        """Each row's inner product with `qvec`, -1 for the rows of the `hidden` groups."""
        if not self._flat:
            out = cosines(self._dense, qvec)
            for key in hidden:
                out[self._masks[key]] = -1.0
            return out
        import faiss

        query = np.ascontiguousarray(qvec.reshape(-1), dtype=np.float32)
        out = np.empty(self._n, dtype=np.float32)
        for key, rows, vectors in self._blocks:
            if key in hidden:
                out[rows] = -1.0
                continue
            if not len(rows):
                continue
            part = np.empty(len(rows), dtype=np.float32)
            faiss.fvec_inner_products_ny(
                faiss.swig_ptr(part),
                faiss.swig_ptr(query),
                faiss.swig_ptr(vectors),
                vectors.shape[1],
                len(rows),
            )
            out[rows] = part
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
