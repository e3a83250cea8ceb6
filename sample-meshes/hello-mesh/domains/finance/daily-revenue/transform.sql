-- `orders` is the input port: the orders product's output, as its contract describes it.
SELECT
  CAST(ordered_at AS DATE) AS day,
  count(*) AS orders,
  sum(amount_eur) AS revenue_eur
FROM orders
GROUP BY 1
ORDER BY 1
