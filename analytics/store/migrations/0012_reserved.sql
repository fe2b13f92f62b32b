-- Reserved: number 12 was taken by a change developed alongside 0013.
-- This file does nothing; if that change's own 0012 is merged, it
-- replaces this one.
SELECT 1;
