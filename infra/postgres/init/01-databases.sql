-- Run once by the postgres image's entrypoint, on the first start with an empty data
-- volume (files in /docker-entrypoint-initdb.d are ignored once the cluster exists; to
-- re-run: `docker compose down -v`).
--
-- One database per service, so each service owns its schema and migrations. For
-- simplicity the services connect as the `postgres` superuser whose password compose
-- sets (POSTGRES_PASSWORD); a deployment outside compose should give each service its
-- own login role owning only its database.
CREATE DATABASE servicecenter_requests;
CREATE DATABASE servicecenter_sla;
CREATE DATABASE servicecenter_escalations;
CREATE DATABASE servicecenter_reporting;
CREATE DATABASE servicecenter_release_testing;
