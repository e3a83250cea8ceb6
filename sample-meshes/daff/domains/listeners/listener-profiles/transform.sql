-- The output port `listener_profiles` is the result of this query.
-- Input ports: listener_registrations, subscription_events.
-- Ages and tiers are computed on the date of the latest subscription event, so the profile
-- does not change with the day it is run on. Plans renew monthly; a plan without an event
-- in the last 35 days has lapsed.
WITH as_of AS (
  SELECT CAST(max(occurred_at) AS DATE) AS profile_date FROM subscription_events
),
latest AS (
  SELECT listener_id, event_type, plan, occurred_at
  FROM subscription_events
  QUALIFY row_number() OVER (PARTITION BY listener_id ORDER BY occurred_at DESC, event_id DESC) = 1
),
paid AS (
  SELECT listener_id, sum(amount_eur) AS paid_eur
  FROM subscription_events
  WHERE payment_status = 'paid'
  GROUP BY listener_id
),
profiles AS (
  SELECT
    r.*,
    a.profile_date,
    CAST(floor(date_diff('day', r.birth_date, a.profile_date) / 365.25) AS INTEGER) AS age,
    CASE
      WHEN l.plan IS NULL OR l.event_type = 'cancelled' THEN 'free'
      WHEN CAST(l.occurred_at AS DATE) < a.profile_date - INTERVAL 35 DAY THEN 'free'  -- lapsed
      ELSE l.plan
    END AS tier,
    l.occurred_at AS tier_since,
    coalesce(p.paid_eur, 0) AS paid_eur
  FROM listener_registrations AS r
  CROSS JOIN as_of AS a
  LEFT JOIN latest AS l ON l.listener_id = r.listener_id
  LEFT JOIN paid AS p ON p.listener_id = r.listener_id
)
SELECT
  listener_id,
  email,
  display_name,
  birth_date,
  CASE
    WHEN age < 18 THEN '13-17'
    WHEN age < 25 THEN '18-24'
    WHEN age < 35 THEN '25-34'
    WHEN age < 45 THEN '35-44'
    WHEN age < 55 THEN '45-54'
    ELSE '55+'
  END AS age_band,
  country,
  tier,
  tier <> 'free' AS is_paying,
  tier_since,
  CAST(paid_eur AS DECIMAL(10, 2)) AS paid_eur,
  marketing_opt_in,
  registered_at,
  greatest(registered_at, coalesce(tier_since, registered_at)) AS updated_at,
  profile_date
FROM profiles
ORDER BY listener_id
