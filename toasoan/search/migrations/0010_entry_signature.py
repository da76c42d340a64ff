"""PostgreSQL: a word signature per entry, kept in an index in publication order.

A search of many common words ("ủy ban nhân dân tỉnh quảng nam tổ chức hội nghị…") walks the
newest entries one by one until a thousand match; each entry read was a heap fetch and a
`tsvector` match, tens of thousands of them. `signature` is a 1,024-bit Bloom filter of the
entry's folded words (two bits each, from md5: the same on every server and version), and
`search_entry_seq_signature` holds it with `seq` and `path`: the walk then reads the index
alone and only fetches the entries holding every word the query requires (a necessary
condition, never a sufficient one: the `tsvector` match still decides, so results are the
same). Adding the column rewrites the table (a few minutes per 200,000 stories, locked),
then VACUUM marks its pages all-visible, without which the index alone could not answer
(hence not atomic; each step can be run again).
"""

from django.db import migrations

BITS = 1024

PG_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION search_signature(v tsvector) RETURNS bit({BITS})
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT coalesce(
        bit_or(set_bit(set_bit(B'0'::bit({BITS}),
          mod(get_byte(h, 0) * 256 + get_byte(h, 1), {BITS}), 1),
          mod(get_byte(h, 2) * 256 + get_byte(h, 3), {BITS}), 1)),
        B'0'::bit({BITS}))
      FROM (SELECT decode(md5(lexeme), 'hex') AS h FROM unnest(tsvector_to_array(v)) AS lexeme)
        AS hashed
    $$
    """,
    f"""
    ALTER TABLE search_searchentry
    ADD COLUMN IF NOT EXISTS signature bit({BITS}) GENERATED ALWAYS AS (
      search_signature(
        to_tsvector('vi_unaccent'::regconfig, title) || to_tsvector('vi_unaccent'::regconfig, text)
      )
    ) STORED
    """,
    "ALTER TABLE search_searchentry ALTER COLUMN signature SET STORAGE PLAIN",
    "CREATE INDEX IF NOT EXISTS search_entry_seq_signature ON search_searchentry "
    "(seq) INCLUDE (path, signature)",
    # New and re-indexed entries' pages are not all-visible until vacuumed, and there the
    # index alone cannot answer: vacuum every few hundred changes, not after a fifth of the
    # table (the default: 40,000 entries on 200,000, the newest ones every search walks).
    "ALTER TABLE search_searchentry SET (autovacuum_vacuum_insert_threshold = 500, "
    "autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_threshold = 500, "
    "autovacuum_vacuum_scale_factor = 0)",
    "VACUUM (ANALYZE) search_searchentry",
]
PG_BACKWARD = [
    "ALTER TABLE search_searchentry RESET (autovacuum_vacuum_insert_threshold, "
    "autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_threshold, "
    "autovacuum_vacuum_scale_factor)",
    "DROP INDEX IF EXISTS search_entry_seq_signature",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS signature",
    "DROP FUNCTION IF EXISTS search_signature(tsvector)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    atomic = False  # VACUUM runs outside a transaction
    dependencies = [("search", "0009_rank_text")]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
