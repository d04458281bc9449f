-- The target list's category of each measurement (OONI's annotations.category_code), for fleet timelines.
ALTER TABLE measurements ADD COLUMN category text;
