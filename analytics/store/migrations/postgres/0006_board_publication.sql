-- What a survey publishes to its board: the disclosure policy its board
-- outputs follow (heard, nhs-digital or nhs-fft) and the one kind of period
-- they are given in (month, quarter, year, fy, fyq or all). A survey without
-- a row here publishes under 'heard' by month.
ALTER TABLE survey_settings ADD COLUMN disclosure_policy TEXT NOT NULL DEFAULT 'heard';
ALTER TABLE survey_settings ADD COLUMN board_period TEXT NOT NULL DEFAULT 'month';
