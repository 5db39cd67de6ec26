# Sourced by the benchmarks on PostgreSQL: a role DB_ROLE and a database DB it owns, made fresh for the run with
# password DB_PASSWORD (the caller sets all three and PG_HOST) and dropped again. Needs Debian's postgresql
# (`su postgres -c psql`).
psql_admin() { su postgres -c "psql -q -X -v ON_ERROR_STOP=1 $*"; }
psql_bench() { PGPASSWORD="$DB_PASSWORD" psql -q -X -v ON_ERROR_STOP=1 -h "$PG_HOST" -U "$DB_ROLE" -d "$DB" "$@"; }
drop_database() {
  psql_admin >/dev/null 2>&1 <<SQL || true
DROP DATABASE IF EXISTS $DB WITH (FORCE);
DROP ROLE IF EXISTS $DB_ROLE;
SQL
}
create_database() {
  drop_database
  psql_admin <<SQL
CREATE ROLE $DB_ROLE LOGIN PASSWORD '$DB_PASSWORD';
CREATE DATABASE $DB OWNER $DB_ROLE;
SQL
}
