-- Statistics (docs/statistics.md "Certification"): the certification dashboard counts every
-- certificate of the enterprises in its filter (issued in the period, valid today, suspended,
-- withdrawn; by region and by body). Read through this index it scans the certificates' index
-- rather than their rows (an index-only scan) and meets the enterprises in id order: at scale 20
-- (100,000 certificates) the by-region count took about a third of the time (measured on SQLite).
CREATE INDEX certificates_statistics ON certificates (enterprise_id, issued, status, expires, body_id);
