-- 014: each user's Dynamic Cover Page (guide p.34-35), kept until changed, so New fax can use it.
CREATE TABLE dynamic_cover_page (
    owner VARCHAR PRIMARY KEY,           -- the extension whose cover page it is
    recipient VARCHAR NOT NULL,          -- "To": the fax receiver's name
    sender VARCHAR NOT NULL,             -- "From"
    email VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    company VARCHAR NOT NULL,
    comments VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL        -- UTC
);
