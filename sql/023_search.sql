-- Issue 11, search (docs/learning.md "Search"): the inverted index over search_documents (sql/018)
-- and the anonymised log of searches. Kept current by store/search.c inside
-- search_document_put/remove; `guanbiao search reindex` rebuilds it from search_documents.

-- The number of terms (core/search_text.h) a document's title and body have: its length for
-- the ranking.
ALTER TABLE search_documents ADD COLUMN length BIGINT NOT NULL DEFAULT 0;

-- One row per term and document: the document's type (to narrow a search without reading the
-- documents) and the term's weight in it, BM25's term-frequency part (store/search.c: a term in the
-- title counts five times; the length normalised by the average length when it was written).
-- search_postings_rank gives a term's best documents first without sorting; search_postings_key
-- answers "has this document that term, with what weight" from the index alone.
CREATE TABLE search_postings (
    term TEXT NOT NULL,
    document_id BIGINT NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    weight DOUBLE PRECISION NOT NULL
);
CREATE INDEX search_postings_rank ON search_postings (term, weight DESC, document_id, type);
CREATE INDEX search_postings_key ON search_postings (term, document_id, weight);
CREATE INDEX search_postings_document ON search_postings (document_id);

-- Per term, the number of documents containing it (the ranking's inverse document frequency).
-- The row of the empty term (never a real term) holds the number of documents and, in tokens,
-- the sum of their lengths.
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY,
    documents BIGINT NOT NULL,
    tokens BIGINT NOT NULL DEFAULT 0
);
-- Every index write locks this row first (store/search.c), so concurrent writers on PostgreSQL
-- queue instead of deadlocking over the terms they share.
INSERT INTO search_terms (term, documents, tokens) VALUES ('', 0, 0);

-- The searches, anonymised (no user, no address): per UTC day (its first second) and normalised
-- query (its terms joined by a space), how many times it was asked and how many results the
-- last one found.
CREATE TABLE search_log (
    day BIGINT NOT NULL,
    query TEXT NOT NULL,
    searches BIGINT NOT NULL,
    results BIGINT NOT NULL,
    PRIMARY KEY (day, query)
);
