-- The output port `customers`: registrations as the sign-up forms record them, with e-mail
-- addresses lower-cased and every customer who asked to be erased left out.
SELECT
  r.customer_id,
  r.first_name,
  r.last_name,
  lower(r.email) AS email,
  CAST(r.birth_year AS INTEGER) AS birth_year,
  r.home_store_id,
  CAST(r.registered_at AS TIMESTAMP) AS registered_at,
  CAST(r.marketing_opt_in AS BOOLEAN) AS marketing_opt_in,
  r.signup_channel
FROM registrations AS r
WHERE NOT EXISTS (SELECT 1 FROM erasure_requests AS e WHERE e.customer_id = r.customer_id)
ORDER BY r.customer_id
