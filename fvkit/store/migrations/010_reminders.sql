-- 010: reminders that have already called their guests (REM-6), so a second run calls no one twice.
CREATE TABLE reminder_fired (
    reminder BIGINT NOT NULL,
    occurrence TIMESTAMP NOT NULL,       -- UTC start of the occurrence that fired
    fired_at TIMESTAMP NOT NULL,
    calls INTEGER NOT NULL,              -- guests called
    PRIMARY KEY (reminder, occurrence)
);
