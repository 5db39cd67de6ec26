-- Saved device filters (groups, fleet.md "Fleet"): a name and the filter as canonical JSON, read back
-- through DeviceFilter.fromJson, so a stored filter obeys the same rules as one sent in a request.
CREATE TABLE saved_filter (
    name VARCHAR(64) PRIMARY KEY,
    filter_json VARCHAR(8000) NOT NULL,
    created_by VARCHAR(100) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by VARCHAR(100) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
