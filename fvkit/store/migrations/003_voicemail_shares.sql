-- 003: voicemail boxes the administrator lets a user see besides their own (VM-2,
-- guide p.17 "Owner" column): other users' boxes and ring groups' boxes. The portal
-- shows them only while the viewer also holds "Voicemail owner notifications".

CREATE TABLE voicemail_share (
    viewer VARCHAR NOT NULL,             -- the user who sees the box
    owner VARCHAR NOT NULL,              -- the user or group extension whose box it is
    PRIMARY KEY (viewer, owner)
);
