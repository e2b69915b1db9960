"""Indexes for search inside a course (content.search).

`content_item_search_text(title, description, data_json)` is an item's searchable text: title,
description, text blocks, resource labels and transcript lines. It is indexed once per
text-search configuration a course language maps to (a course's items are searched in its
language, so each configuration needs its own index), and lower-cased with trigrams for the
misspelling fallback, like the catalog's `search_text`.
"""

from django.db import migrations

CONFIGS = ("english", "german", "portuguese", "spanish", "french", "simple")

FUNCTION = r"""
CREATE FUNCTION content_item_search_text(title text, description text, data jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT concat_ws(E'\n', title, description,
    (SELECT string_agg(t #>> '{}', E'\n') FROM jsonb_path_query(data, 'lax $.blocks[*].text') t),
    (SELECT string_agg(t #>> '{}', E'\n')
     FROM jsonb_path_query(data, 'lax $.resources[*].label') t),
    (SELECT string_agg(t #>> '{}', E'\n')
     FROM jsonb_path_query(data, 'lax $.transcript.segments[*].text') t))
$$;
"""

TEXT = "content_item_search_text(title, description, data_json)"

INDEXES = [
    f"CREATE INDEX ix_content_items_search_{config} ON content_items "
    f"USING gin (to_tsvector('{config}'::regconfig, {TEXT}))"
    for config in CONFIGS
] + [
    f"CREATE INDEX ix_content_items_search_trgm ON content_items "
    f"USING gin (lower({TEXT}) gin_trgm_ops)"
]


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_add_outline_versions"),
        ("catalog", "0004_add_course_search"),  # pg_trgm
    ]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION content_item_search_text(text, text, jsonb)"),
        *(
            migrations.RunSQL(sql, f"DROP INDEX {sql.split()[2]}")
            for sql in INDEXES
        ),
    ]
