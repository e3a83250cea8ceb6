-- The output port `orders` is the result of this query.
SELECT
  order_id,
  CAST(ordered_at AS TIMESTAMP) AS ordered_at,
  lower(customer_email) AS customer_email,
  CAST(amount_eur AS DECIMAL(10, 2)) AS amount_eur
FROM orders_csv
