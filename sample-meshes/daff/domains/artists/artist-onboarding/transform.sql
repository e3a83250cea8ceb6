-- The output port `onboarded_artists` is the result of this query.
SELECT
  artist_id,
  artist_name,
  legal_name,
  lower(contact_email) AS contact_email,
  country,
  label,
  CAST(royalty_rate AS DECIMAL(4, 2)) AS royalty_rate,
  CAST(payout_verified AS BOOLEAN) AS payout_verified,
  CAST(onboarded_at AS TIMESTAMP) AS onboarded_at
FROM artist_signups
