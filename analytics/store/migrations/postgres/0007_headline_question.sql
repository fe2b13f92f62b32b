-- The question a survey's dashboard leads with, by its code, as an analyst
-- chose it; '' (and a survey without a row here) leads with the survey's
-- overall satisfaction question, if it has one.
ALTER TABLE survey_settings ADD COLUMN headline_question TEXT NOT NULL DEFAULT '';
