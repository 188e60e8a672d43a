//! Whole numbers in proportion: the largest-remainder method.

/// Non-negative integers proportional to `weights` that add up to `total` exactly: each gets
/// the floor of its exact share, and what is left goes one by one to the largest remainders
/// (ties to the lower index). Deterministic, independent of threads.
pub fn largest_remainder(weights: &[f64], total: u64) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut sizes: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let mut left = total.saturating_sub(sizes.iter().sum::<u64>());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in &order {
        if left == 0 {
            break;
        }
        sizes[i] += 1;
        left -= 1;
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_and_follow_the_weights() {
        assert_eq!(largest_remainder(&[1.0, 1.0, 1.0], 10), vec![4, 3, 3]);
        assert_eq!(largest_remainder(&[0.5, 0.25, 0.25], 8), vec![4, 2, 2]);
        assert_eq!(largest_remainder(&[2.0, 1.0], 0), vec![0, 0]);
        assert_eq!(largest_remainder(&[], 5), Vec::<u64>::new());
        let w = [862_965.0, 936.0, 17_000.0];
        let s = largest_remainder(&w, 500_000);
        assert_eq!(s.iter().sum::<u64>(), 500_000);
    }
}
