-- The output port `listener_registrations` is the result of this query.
-- The sign-up form accepts mixed-case e-mail addresses; the product publishes them lower-cased.
SELECT
  listener_id,
  lower(email) AS email,
  display_name,
  make_date(CAST(birth_year AS INTEGER), 1, 1) + CAST(birth_day_of_year AS INTEGER) AS birth_date,
  country,
  signup_platform,
  referral_channel,
  CAST(marketing_opt_in AS BOOLEAN) AS marketing_opt_in,
  CAST(registered_at AS TIMESTAMP) AS registered_at
FROM registrations
