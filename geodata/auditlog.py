"""The audit log of the store: who did what, when (imports, rollbacks, shortlists, editors).

``AuditLog`` is a part of ``geodata.store.Store`` (and so of the PostgreSQL store): one table
``audit_log`` (``at`` UTC ISO time, ``who``, ``action``, ``country``, ``target``, ``detail``),
written inside the transaction of the change it records, and read together with the dataset
history (``dataset_log``) for the Data page.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["AuditLog"]


class AuditLog:
    """The audit-log methods of a store (``transaction`` and ``_frame`` come from the store)."""

    @staticmethod
    def audit(con, who: str, action: str, *, country: str = "", target: str = "", detail: str = "") -> None:
        """Append one line to the audit log (inside a transaction)."""
        from geodata.store import now_utc

        con.execute("INSERT INTO audit_log (at, who, action, country, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
                    (now_utc(), who, action, country, target, detail))

    def record(self, who: str, action: str, **fields) -> None:
        """``audit`` in a transaction of its own (sign-in failures, lockouts, editor changes)."""
        with self.transaction() as con:
            self.audit(con, who, action, **fields)

    def audit_log(self, country: str | None = None, limit: int = 500) -> pd.DataFrame:
        """The newest ``limit`` lines of the audit log and the dataset history together, newest
        first: ``at (UTC ISO), who, action, target, detail``. ``country`` keeps that country's
        lines and those of no country (editor changes)."""
        where = "" if country is None else " WHERE country IN (?, '')"
        params: tuple = () if country is None else (country,)
        own = ("SELECT at, who, action, target, detail, id AS n, 1 AS src FROM audit_log" + where)
        log = ("SELECT at, by AS who, action, name || ' v' || version AS target, notes AS detail, id AS n, "
               "0 AS src FROM dataset_log" + ("" if country is None else " WHERE country = ?"))
        sql = f"SELECT at, who, action, target, detail FROM ({own} UNION ALL {log}) AS lines " \
              "ORDER BY at DESC, src DESC, n DESC LIMIT ?"
        return self._frame(sql, params + params + (int(limit),))
