"""The database schema and its migrations: an SQL script, or a function, per version."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable

from conversations.tally import Cell, ballot_cells
from storage.closed import fold_counters_now
from storage.intake import answers_json, row_json, stored_ballot, suggestion_rows

# Written into the SQLite header so that a foreign database file is recognised and refused.
APPLICATION_ID = 0x4D43_5042  # "MCPB"

Migration = str | Callable[[sqlite3.Connection], None]


def _window_state(db: sqlite3.Connection) -> None:
    """Keep nothing on disk that orders ballots or ties one to a person (issue 9).

    - `intake` holds what only an open window needs, rewritten whole at every submit: the
      register of who took part as one sorted blob of keys (a table of rows keeps the order
      they were inserted in), and the unfinished batch as one sorted JSON list. Closing a
      window deletes its row.
    - Ballots lose their batch number; a ballot reaches the `ballots` table only with its whole
      batch, in random order.
    - Counters: `released` (1) is what an open window shows; 0 holds the newest complete batch
      back until close, so that no two views differ by fewer than k ballots.
    - `windows.rebuilt` marks closed windows whose traces the file no longer holds (a rebuild
      after close); 0 for those closed under earlier schemas, rebuilt on first start.
    """
    db.execute("ALTER TABLE windows ADD COLUMN rebuilt INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "CREATE TABLE intake (window_id INTEGER PRIMARY KEY REFERENCES windows (id), "
        "register BLOB NOT NULL, pending TEXT NOT NULL)"
    )
    db.execute("ALTER TABLE tally_counts RENAME COLUMN sealed TO released")
    for window_id, min_group in db.execute("SELECT id, max(min_group, 1) FROM windows WHERE is_open = 1"):
        _carry_over(db, window_id, min_group)
    db.execute("DROP TABLE participations")
    db.execute("ALTER TABLE ballots DROP COLUMN batch")


def _carry_over(db: sqlite3.Connection, window_id: int, min_group: int) -> None:
    """Move an open window over: register and unfinished batch into intake, counters recounted.

    Ballots are taken in batch order (within a batch, in the order of their random ids): the
    newest N mod k are the unfinished batch, the k before them the batch held back.
    """
    keys = [row[0] for row in db.execute("SELECT key FROM participations WHERE window_id = ?", (window_id,))]
    rows = db.execute(
        "SELECT id, answers, suggestion FROM ballots WHERE window_id = ? ORDER BY batch, id", (window_id,)
    ).fetchall()
    complete = len(rows) // min_group * min_group
    pending = rows[complete:]
    db.executemany("DELETE FROM ballots WHERE id = ?", [(row[0],) for row in pending])
    counts: Counter[tuple[int, Cell]] = Counter()
    for position, (_id, answers, suggestion) in enumerate(rows[:complete]):
        released = int(position < complete - min_group)
        counts.update((released, cell) for cell in ballot_cells(stored_ballot(answers, suggestion)))
    db.execute("DELETE FROM tally_counts WHERE window_id = ?", (window_id,))
    db.executemany(
        "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(window_id, released, *cell, count) for (released, cell), count in counts.items()],
    )
    # The unfinished batch as it was kept until issue 22: [answers, suggestion] pairs, sorted.
    unfinished = sorted([answers_json(stored_ballot(a)), s or ""] for _id, a, s in pending)
    db.execute(
        "INSERT INTO intake (window_id, register, pending) VALUES (?, ?, ?)",
        (window_id, b"".join(sorted(keys)), json.dumps(unfinished, ensure_ascii=False)),
    )


def _kept_apart(db: sqlite3.Connection) -> None:
    """Keep the 参评对象 and the suggestion off ballot rows; fold closed windows' counters.

    - `suggestions`: each under a random id of its own, written in the order of those ids, so
      nothing ties one to the ballot it came with; ballots lose their suggestion column.
    - A ballot's row loses its 参评对象 (ticked or spoiled): only the counters keep it.
    - Closed windows' counters are folded (`storage/closed.py`) and the windows marked for a
      rebuild: the next start rewrites the file, so no old page keeps what this rewrote.
    """
    db.execute(
        "CREATE TABLE suggestions (id BLOB PRIMARY KEY, window_id INTEGER NOT NULL REFERENCES windows (id), "
        "text TEXT NOT NULL) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX suggestions_by_window ON suggestions (window_id)")
    moved = [
        row
        for window_id, text in db.execute(
            "SELECT window_id, suggestion FROM ballots WHERE suggestion IS NOT NULL"
        )
        for row in suggestion_rows(window_id, [text])
    ]
    db.executemany("INSERT INTO suggestions (id, window_id, text) VALUES (?, ?, ?)", sorted(moved))
    db.execute("ALTER TABLE ballots DROP COLUMN suggestion")
    _rows_and_closed_counters_rewritten(db, "SELECT id, answers FROM ballots")


def _unmarked(db: sqlite3.Connection) -> None:
    """Take the paper mark off every ballot row; fold closed windows again; rebuild them (issue 16).

    The paper count stays in the counters. A marked row told the few phone ballots of a group
    apart from the paper forms its keyer had read; the rebuild leaves no old page with the marks.
    Closed counters are folded by today's rule (forms of no category count for nothing; each
    category's paper count went at its close, so that part of the rule applies to new closes).
    """
    _rows_and_closed_counters_rewritten(db, "SELECT id, answers FROM ballots WHERE answers LIKE '%~paper%'")


def _rows_and_closed_counters_rewritten(db: sqlite3.Connection, selected_rows: str) -> None:
    """Rewrite the selected ballot rows as rows are kept today; fold closed counters; mark for a rebuild."""
    rows = db.execute(selected_rows).fetchall()
    db.executemany(
        "UPDATE ballots SET answers = ? WHERE id = ?", [(row_json(stored_ballot(a)), i) for i, a in rows]
    )
    for (window_id,) in db.execute("SELECT id FROM windows WHERE is_open = 0").fetchall():
        fold_counters_now(db, window_id)
    db.execute("UPDATE windows SET rebuilt = 0 WHERE is_open = 0")


def _pooled(db: sqlite3.Connection) -> None:
    """Keep per group of a closed window only its pooled figures; mark them for a rebuild (issue 22).

    Per-option counters per category let the ballot rows be sorted back into their categories;
    each closed window's counters are folded again (`storage/closed.py`): the totals, and per
    group of 2k − 1 ballots or more its answers to the rated items and the favourable ones. The
    next start rebuilds the file, so no old page keeps the counters this replaced.
    """
    for (window_id,) in db.execute("SELECT id FROM windows WHERE is_open = 0").fetchall():
        fold_counters_now(db, window_id)
    db.execute("UPDATE windows SET rebuilt = 0 WHERE is_open = 0")


def _suggestions_unordered(db: sqlite3.Connection) -> None:
    """Keep an open window's suggestions in one list sorted by text until close (issue 22).

    Written to their table batch by batch, they lay in batch order in any copy of the open file,
    and the unfinished batch kept each beside its answers. Now the unfinished batch holds answers
    only, and `intake.suggestions` every suggestion of the open window, sorted; the close writes
    them to their table under random ids, and the file is rebuilt.
    """
    db.execute("ALTER TABLE intake ADD COLUMN suggestions TEXT NOT NULL DEFAULT '[]'")
    for window_id, pending in db.execute("SELECT window_id, pending FROM intake").fetchall():
        entries = json.loads(pending)
        texts = [
            text for (text,) in db.execute("SELECT text FROM suggestions WHERE window_id = ?", (window_id,))
        ]
        texts += [suggestion for _answers, suggestion in entries if suggestion]
        db.execute(
            "UPDATE intake SET pending = ?, suggestions = ? WHERE window_id = ?",
            (
                json.dumps(sorted(answers for answers, _s in entries), ensure_ascii=False),
                json.dumps(sorted(texts), ensure_ascii=False),
                window_id,
            ),
        )
        db.execute("DELETE FROM suggestions WHERE window_id = ?", (window_id,))


# MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (
    """
    CREATE TABLE windows (
        id        INTEGER PRIMARY KEY,
        token     TEXT    NOT NULL UNIQUE,
        unit      TEXT    NOT NULL,
        leader_id INTEGER NOT NULL,
        is_open   INTEGER NOT NULL CHECK (is_open IN (0, 1)),
        opened_at TEXT    NOT NULL,
        closed_at TEXT
    );
    CREATE UNIQUE INDEX windows_one_open_per_unit ON windows (leader_id, unit) WHERE is_open = 1;

    -- A ballot holds its window, its answers and the suggestion: no person, no time, no order.
    -- The random primary key of a WITHOUT ROWID table keeps rows in an order that means nothing.
    CREATE TABLE ballots (
        id         BLOB    PRIMARY KEY,
        window_id  INTEGER NOT NULL REFERENCES windows (id),
        answers    TEXT    NOT NULL,
        suggestion TEXT
    ) WITHOUT ROWID;
    CREATE INDEX ballots_by_window ON ballots (window_id);

    -- Who has taken part, as HMAC(window, user) only; never joined with ballots.
    CREATE TABLE participations (
        key       BLOB    PRIMARY KEY,
        window_id INTEGER NOT NULL REFERENCES windows (id)
    ) WITHOUT ROWID;

    -- Unfinished forms, keyed like participations; deleted when submitted or cancelled.
    CREATE TABLE drafts (
        key       BLOB    PRIMARY KEY,
        window_id INTEGER NOT NULL REFERENCES windows (id),
        state     TEXT    NOT NULL
    ) WITHOUT ROWID;
    """,
    """
    -- Each window keeps the batch size it was opened with, and an optional expected headcount.
    ALTER TABLE windows ADD COLUMN min_group INTEGER NOT NULL DEFAULT 3;
    ALTER TABLE windows ADD COLUMN expected INTEGER;
    ALTER TABLE windows ADD COLUMN leader_name TEXT NOT NULL DEFAULT '';

    -- The batch a ballot arrived in: floor(ballots before it / min_group). Reset to 0 on close.
    ALTER TABLE ballots ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;

    -- Tally messages the bot keeps current (a leader's chat and message).
    CREATE TABLE live_views (
        chat_id    INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        window_id  INTEGER NOT NULL REFERENCES windows (id),
        language   TEXT    NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE INDEX live_views_by_window ON live_views (window_id);

    -- Leaders made by an admin's invite (those in SURVEY_LEADERS are not stored).
    CREATE TABLE leaders (
        user_id    INTEGER PRIMARY KEY,
        name       TEXT    NOT NULL,
        invited_by INTEGER NOT NULL,
        added_at   TEXT    NOT NULL
    );

    CREATE TABLE invites (
        token      TEXT    PRIMARY KEY,
        created_by INTEGER NOT NULL,
        expires_at TEXT    NOT NULL,
        used_by    INTEGER,
        used_at    TEXT
    );
    """,
    """
    -- Running counters per window, so a tally costs the same at 100 ballots as at 100,000.
    -- sealed = 1: complete batches (what a live view may show); 0: the batch being filled.
    -- category is the ballot's 参评对象 option; option '*' counts ballots answering the question.
    CREATE TABLE tally_counts (
        window_id INTEGER NOT NULL REFERENCES windows (id),
        sealed    INTEGER NOT NULL CHECK (sealed IN (0, 1)),
        category  TEXT    NOT NULL,
        question  TEXT    NOT NULL,
        option    TEXT    NOT NULL,
        count     INTEGER NOT NULL,
        PRIMARY KEY (window_id, sealed, category, question, option)
    ) WITHOUT ROWID;

    -- Fill the counters from the ballots already stored.
    CREATE TEMP TABLE released_batches AS
        SELECT w.id AS window_id,
               CASE WHEN w.is_open = 0 THEN 1 << 62
                    ELSE (SELECT count(*) FROM ballots b WHERE b.window_id = w.id) / max(w.min_group, 1)
               END AS batches
        FROM windows w;

    INSERT INTO tally_counts (window_id, sealed, category, question, option, count)
        SELECT b.window_id, b.batch < r.batches,
               coalesce(json_extract(b.answers, '$.category[0]'), ''), q.key, o.value, count(*)
        FROM ballots b
        JOIN released_batches r ON r.window_id = b.window_id, json_each(b.answers) q, json_each(q.value) o
        GROUP BY 1, 2, 3, 4, 5;

    INSERT INTO tally_counts (window_id, sealed, category, question, option, count)
        SELECT b.window_id, b.batch < r.batches,
               coalesce(json_extract(b.answers, '$.category[0]'), ''), q.key, '*', count(*)
        FROM ballots b
        JOIN released_batches r ON r.window_id = b.window_id, json_each(b.answers) q
        WHERE json_array_length(q.value) > 0
        GROUP BY 1, 2, 3, 4;

    DROP TABLE released_batches;
    """,
    """
    -- The group's Annex 1 score sheet per window: an official record, so it names who finalised it.
    CREATE TABLE score_sheets (
        window_id      INTEGER PRIMARY KEY REFERENCES windows (id),
        state          TEXT    NOT NULL,
        updated_at     TEXT    NOT NULL,
        finalised_by   INTEGER,
        finalised_name TEXT,
        finalised_at   TEXT
    );
    """,
    """
    -- A leader's real name and inspection group, set with /me: official records carry these,
    -- not a Telegram display name.
    CREATE TABLE officials (
        user_id    INTEGER PRIMARY KEY,
        name       TEXT    NOT NULL,
        group_name TEXT    NOT NULL,
        set_at     TEXT    NOT NULL
    );
    """,
    """
    -- What the papers say beyond points: a reason per item scored below its maximum (扣分理由),
    -- the Telegram file ids of photos taken during 实地查看, the leader's written sections of the
    -- feedback (肯定成绩, 存在不足, 改进意见, 好经验好做法), and a group's conclusions.
    CREATE TABLE item_reasons (
        window_id INTEGER NOT NULL REFERENCES windows (id),
        item      TEXT    NOT NULL,
        reason    TEXT    NOT NULL,
        PRIMARY KEY (window_id, item)
    );
    CREATE TABLE item_photos (
        window_id INTEGER NOT NULL REFERENCES windows (id),
        item      TEXT    NOT NULL,
        file_id   TEXT    NOT NULL,
        PRIMARY KEY (window_id, item, file_id)
    );
    CREATE TABLE writings (
        window_id INTEGER NOT NULL REFERENCES windows (id),
        section   TEXT    NOT NULL,
        text      TEXT    NOT NULL,
        PRIMARY KEY (window_id, section)
    );
    CREATE TABLE writings_final (
        window_id    INTEGER PRIMARY KEY REFERENCES windows (id),
        finalised_at TEXT    NOT NULL
    );
    CREATE TABLE group_conclusions (
        leader_id INTEGER PRIMARY KEY,
        text      TEXT    NOT NULL
    );
    -- What a leader's next message is for (a reason, photos, a section, the conclusions): kept
    -- here, not in memory, so a restart loses nothing.
    CREATE TABLE pending_inputs (
        user_id   INTEGER PRIMARY KEY,
        window_id INTEGER NOT NULL,
        kind      TEXT    NOT NULL,
        target    TEXT    NOT NULL
    );
    """,
    _window_state,
    """
    -- Group members a unit's leader invited to key in its paper forms: who may key, never which
    -- form anyone keyed. Deleted when the unit closes, with the invites.
    CREATE TABLE keyers (
        window_id INTEGER NOT NULL REFERENCES windows (id),
        user_id   INTEGER NOT NULL,
        PRIMARY KEY (window_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE keyer_invites (
        token     TEXT    PRIMARY KEY,
        window_id INTEGER NOT NULL REFERENCES windows (id)
    );
    """,
    _kept_apart,
    _unmarked,
    """
    -- 一人一码 (issue 18): a unit may admit only holders of its ballot slips. What is kept of an
    -- unused slip is a keyed hash (HMAC under the unit's secret), removed when the slip is
    -- first used and, with the rest, when the unit closes; a code itself is never stored.
    -- Rows are ordered by the hash (WITHOUT ROWID), not by when a slip was printed.
    ALTER TABLE windows ADD COLUMN slips INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE windows ADD COLUMN slips_issued INTEGER NOT NULL DEFAULT 0;
    -- Paper forms handed out at the keying desk, and those counted 无效 without being keyed.
    ALTER TABLE windows ADD COLUMN paper_issued INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE windows ADD COLUMN paper_invalid INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE slips (
        window_id INTEGER NOT NULL REFERENCES windows (id),
        check_hash BLOB NOT NULL,
        PRIMARY KEY (window_id, check_hash)
    ) WITHOUT ROWID;
    -- A slip spent on a Telegram account: the account's participant key (it may now answer)
    -- and the slip's own key (the slip reads as used), each ordered by the key; deleted at close.
    CREATE TABLE admitted (
        window_id INTEGER NOT NULL REFERENCES windows (id),
        key       BLOB    NOT NULL,
        PRIMARY KEY (window_id, key)
    ) WITHOUT ROWID;
    """,
    _pooled,
    _suggestions_unordered,
    """
    -- More ballots than the room holds (the headcount, or in a slips unit what was handed out):
    -- the ballots the figures stay at until close (issue 22); NULL while within it.
    ALTER TABLE windows ADD COLUMN frozen INTEGER;
    """,
    """
    -- The leader's sections reopened after 定稿 (issue 20): by whom (the unit's leader, or an
    -- admin once the 结果反馈 was final), when, and when they had been finalised: a record.
    CREATE TABLE writings_reopened (
        window_id    INTEGER NOT NULL REFERENCES windows (id),
        reopened_at  TEXT    NOT NULL,
        user_id      INTEGER NOT NULL,
        by_admin     INTEGER NOT NULL CHECK (by_admin IN (0, 1)),
        finalised_at TEXT    NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def apply(db: sqlite3.Connection, step: int) -> None:
    """Run migration `step` (inside the caller's transaction)."""
    migration = MIGRATIONS[step]
    if isinstance(migration, str):
        for statement in statements(migration):
            db.execute(statement)
    else:
        migration(db)


def migrate(path: str) -> None:
    """Bring the database at `path` to SCHEMA_VERSION, one transaction per version."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA secure_delete = ON")
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        for step in range(version, SCHEMA_VERSION):
            db.execute("BEGIN IMMEDIATE")
            try:
                apply(db, step)
                db.execute(f"PRAGMA user_version = {step + 1}")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
    finally:
        db.close()


def statements(script: str) -> list[str]:
    """Split a migration script into statements (our scripts hold no ';' inside literals)."""
    code = "\n".join(line for line in script.splitlines() if not line.strip().startswith("--"))
    return [part.strip() for part in code.split(";") if part.strip()]
