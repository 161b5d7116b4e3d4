"""Offline imports on DynamoDB: IMPORT#<program> / <digest> records an import; OFFLINE#<challenge> holds its votes
(I#<import id>#<line>) and their counters by channel (#TALLY). Written in resumable chunks of at most 100 items."""

from __future__ import annotations

from ...imports.rules import line_of_author, line_of_key
from ...imports.store import DuplicateImport, ImportBatch, ImportStore, OfflineVote
from . import items
from .client import Cancelled, Table
from .table import (
    MAX_TRANSACTION_ITEMS,
    TALLY_SK,
    add_counters,
    as_int,
    as_str,
    counters_of,
    key,
    moderation_counters_update,
    n,
    s,
)


def _line_of(row) -> int:
    """The import line a row comes from: offline votes' keys and imported comments' authors carry it."""
    if isinstance(row, OfflineVote):
        return line_of_key(row.key)
    return line_of_author(row.author)


class ImportsOnDynamoDB(Table, ImportStore):
    def offline_tally(self, challenge: str) -> dict[str, int]:
        return counters_of(self._get(f"OFFLINE#{challenge}", TALLY_SK))

    def offline_entries(self, challenge: str) -> list[tuple[str, str]]:
        return [
            (item["channel"]["S"], item["entry"]["S"])
            for item in self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :vote)",
                ExpressionAttributeValues={":pk": s(f"OFFLINE#{challenge}"), ":vote": s("I#")},
                ProjectionExpression="#channel, #entry",
                ExpressionAttributeNames={"#channel": "channel", "#entry": "entry"},
                ConsistentRead=True,
            )
        ]

    def import_offline(self, batch: ImportBatch) -> None:
        """Write an import in transactions of at most 100 items, resumable (docs/storage.md, "Offline imports").

        The import's item IMPORT#<program> / <digest> records how many rows are written (`done`); each chunk's
        transaction writes its rows, their counters and `done` (condition: `done` is still where the chunk
        starts), so a chunk is written once, and a retry after a failure continues where the last chunk ended. The
        last transaction marks the import complete and adds its audit entry.
        """
        pk, sk = f"IMPORT#{batch.program}", batch.digest
        record = self._start_import(batch, pk, sk)
        rows = sorted(
            [(vote.key, vote) for vote in batch.votes] + [(f"{c.created_at}#{c.id}", c) for c in batch.comments],
            key=lambda pair: _line_of(pair[1]),
        )
        done = as_int(record.get("done"))
        while done < len(rows):
            end, chunk = self._import_chunk(batch, rows, done)
            chunk.append(
                {
                    "Update": {
                        "Key": key(pk, sk),
                        "UpdateExpression": "SET #done = :end",
                        "ConditionExpression": "#done = :start AND #status = :started",
                        "ExpressionAttributeNames": {"#done": "done", "#status": "status"},
                        "ExpressionAttributeValues": {
                            ":end": n(end),
                            ":start": n(done),
                            ":started": s("started"),
                        },
                    }
                }
            )
            try:
                self._transact(chunk)
            except Cancelled:
                # Another attempt of the same import moved on (or a row exists already): read where it stands.
                record = self._get(pk, sk) or {}
                if record.get("status", {}).get("S") == "complete":
                    raise DuplicateImport(batch.digest) from None
                if as_int(record.get("done")) <= done:
                    raise
                end = as_int(record.get("done"))
            done = end
        try:
            self._transact(
                [
                    {
                        "Update": {
                            "Key": key(pk, sk),
                            "UpdateExpression": "SET #status = :complete",
                            "ConditionExpression": "#status = :started AND #done = :total",
                            "ExpressionAttributeNames": {"#status": "status", "#done": "done"},
                            "ExpressionAttributeValues": {
                                ":complete": s("complete"),
                                ":started": s("started"),
                                ":total": n(len(rows)),
                            },
                        }
                    },
                    items.audit_put(batch.audit),
                ]
            )
        except Cancelled as cancelled:
            raise DuplicateImport(batch.digest) from cancelled

    def _start_import(self, batch: ImportBatch, pk: str, sk: str) -> dict:
        """The import's record: created now, or an unfinished one with the same rows (a retry completes it)."""
        item = {
            **key(pk, sk),
            "type": s("import"),
            "import_id": s(batch.import_id),
            "source": s(batch.source),
            "rows_sha256": s(batch.rows_sha256),
            "at": s(batch.at),
            "status": s("started"),
            "done": n(0),
        }
        if self._put_new(item):
            return item
        record = self._get(pk, sk) or {}
        if record.get("status", {}).get("S") != "started" or as_str(record.get("rows_sha256")) != batch.rows_sha256:
            raise DuplicateImport(batch.digest)
        return record

    def _import_chunk(self, batch: ImportBatch, rows: list, start: int) -> tuple[int, list[dict]]:
        """The rows from `start` that fit in one transaction with their counters and the import's item."""
        puts: list[dict] = []
        offline: dict[str, dict[str, int]] = {}
        published = 0
        end = start
        while end < len(rows):
            _, row = rows[end]
            challenge_counters = dict(offline)
            if isinstance(row, OfflineVote):
                per_channel = dict(challenge_counters.get(row.challenge, {}))
                per_channel[row.channel] = per_channel.get(row.channel, 0) + 1
                challenge_counters[row.challenge] = per_channel
                adds_published = 0
            else:
                adds_published = 1
            size = len(puts) + 1 + len(challenge_counters) + (1 if published + adds_published else 0) + 1
            if size > MAX_TRANSACTION_ITEMS:
                break
            offline = challenge_counters
            published += adds_published
            puts.append(self._import_put(row, batch.import_id))
            end += 1
        transaction = list(puts)
        for challenge, per_channel in sorted(offline.items()):
            transaction.append(add_counters(key(f"OFFLINE#{challenge}", TALLY_SK), per_channel))
        if published:
            counters = {name: change * published for name, change in batch.counters_per_comment.items()}
            transaction.append(moderation_counters_update(batch.program, counters))
        return end, transaction

    def _import_put(self, row, import_id: str) -> dict:
        if isinstance(row, OfflineVote):
            item = {
                **key(f"OFFLINE#{row.challenge}", f"I#{row.key}"),
                "type": s("offline-vote"),
                "challenge": s(row.challenge),
                "channel": s(row.channel),
                "entry": s(row.entry),
                "collected_on": s(row.collected_on),
                "import_id": s(import_id),
            }
        else:
            item = items.comment_item(row)
        return {"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
