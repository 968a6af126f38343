-- 007: the mobile softclient's login (DEV-3): one per extension, kept hashed, valid 24 hours.
CREATE TABLE mobile_login (
    extension VARCHAR PRIMARY KEY,
    secret_hash VARCHAR NOT NULL,        -- argon2id of the generated password
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
