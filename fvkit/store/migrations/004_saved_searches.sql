-- 004: call-history searches a user saved by name (beyond the guide: CH-5 made reusable).
CREATE TABLE saved_search (
    owner VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    spec VARCHAR NOT NULL,               -- JSON: view, direction, disposition, search, fields
    PRIMARY KEY (owner, name)
);
