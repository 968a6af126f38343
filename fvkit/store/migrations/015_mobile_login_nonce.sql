-- 015: the mobile login QR code is shown again until "Generate a new QR code" (guide p.45).
-- Its password is derived (HMAC-SHA256) from the organisation's mobile login key and the row's
-- nonce, so the table still holds only the password's hash.
ALTER TABLE mobile_login ADD COLUMN nonce VARCHAR;
CREATE TABLE mobile_login_key (
    id INTEGER PRIMARY KEY,              -- always 1
    key BLOB NOT NULL                    -- 32 random bytes, made on first use
);
