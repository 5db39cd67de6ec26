-- A device's order in force is its assignment row with the highest id (Director, DirectorAssignment). With blocks of
-- 50 ids per server, an order given later on one server could get a lower id than an earlier one given on another
-- and lose to it: the device would be signed its superseded order. One id at a time, taken after the device's row
-- lock, keeps ids in the order the assignments were made (as desired_config does since V17). The next id is above
-- every id a block handed out, since a block's last id was the sequence's value.
ALTER SEQUENCE director_assignment_seq INCREMENT BY 1;
