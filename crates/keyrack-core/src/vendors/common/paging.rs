//! Every page of a list, for the three cursor styles the vendors use — next-token (IBM's `next`
//! URL, OCI's `opc-next-page`), after-id (OpenAI's `after` + `has_more`) and page-number
//! (Scaleway's `page` + `total_count`) — with one page limit and one guard against a cursor
//! that repeats, so a misbehaving server cannot keep a listing going forever.

use std::collections::HashSet;
use std::future::Future;
use std::hash::Hash;

use futures::stream::{self, StreamExt};

use crate::error::{Error, Result};
use crate::vendors::VendorId;

/// More pages than any real list has; a server still paging after this is misbehaving.
pub const MAX_PAGES: usize = 10_000;

/// Page-number pages in flight at once once the total is known: a 2,000-key list of 100-key
/// pages takes three round trips instead of twenty, without a burst a vendor would throttle.
pub const CONCURRENT_PAGES: usize = 8;

/// One page: its items and the cursor of the next page (`None` on the last page).
#[derive(Debug)]
pub struct Page<T, C> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

impl<T> Page<T, String> {
    /// Next-token style: the server hands out the next page's token; none (or an empty one)
    /// means this was the last page.
    pub fn token(items: Vec<T>, next: Option<String>) -> Self {
        Page {
            items,
            next: next.filter(|t| !t.is_empty()),
        }
    }

    /// After-id style: while `has_more`, the next page starts after the last item's id
    /// (`last_id` when the server gives it, else the id of the last item).
    pub fn after_id(
        vendor: VendorId,
        items: Vec<T>,
        has_more: bool,
        last_id: Option<String>,
        id_of: impl Fn(&T) -> &str,
    ) -> Result<Self> {
        if !has_more || items.is_empty() {
            return Ok(Page { items, next: None });
        }
        let next = last_id.or_else(|| items.last().map(|i| id_of(i).to_string()));
        match next {
            Some(next) => Ok(Page {
                items,
                next: Some(next),
            }),
            None => Err(Error::Decode {
                message: format!(
                    "{} said there were more results but gave no cursor to get them",
                    vendor.display_name()
                ),
                raw: None,
            }),
        }
    }
}

/// Every page in order, from the first (`fetch(None)`) until a page has no next cursor.
pub async fn all_pages<T, C, F, Fut>(vendor: VendorId, what: &str, mut fetch: F) -> Result<Vec<T>>
where
    C: Clone + Eq + Hash,
    F: FnMut(Option<C>) -> Fut,
    Fut: Future<Output = Result<Page<T, C>>>,
{
    walk(vendor, what, |cursor, _| fetch(cursor)).await
}

/// Page-number style: pages 1, 2, … of `page_size` until `total` items are in (as the page
/// states it) or a page comes back empty — or, without a total, short. Once the first page has
/// told the total, the pages it implies are fetched [`CONCURRENT_PAGES`] at a time (they do not
/// depend on one another); should items have been added meanwhile, the rest follows one page
/// at a time as before.
pub async fn numbered<T, F, Fut>(
    vendor: VendorId,
    what: &str,
    page_size: usize,
    mut fetch: F,
) -> Result<Vec<T>>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<u64>)>>,
{
    let (mut items, total) = fetch(1).await?;
    let mut next_page = 2;
    if let Some(total) = total {
        // The first page's length is the page size the server really uses (it may cap below
        // `page_size`).
        let per_page = items.len() as u64;
        if per_page == 0 || per_page >= total {
            return Ok(items);
        }
        let pages = u32::try_from(total.div_ceil(per_page).min(MAX_PAGES as u64)).unwrap_or(1);
        let mut rest = stream::iter(2..=pages)
            .map(&mut fetch)
            .buffered(CONCURRENT_PAGES);
        let (mut emptied, mut latest_total) = (false, total);
        while let Some(page) = rest.next().await {
            let (page_items, page_total) = page?;
            emptied |= page_items.is_empty();
            latest_total = page_total.unwrap_or(latest_total);
            items.extend(page_items);
        }
        if emptied || items.len() as u64 >= latest_total {
            return Ok(items);
        }
        next_page = pages + 1;
    }
    // Without a total, a short first page is the only page.
    if total.is_none() && items.len() < page_size {
        return Ok(items);
    }
    let listed_first = items.len();
    let first = next_page;
    let rest = walk(vendor, what, |cursor: Option<u32>, listed_before| {
        let page = cursor.unwrap_or(first);
        let request = fetch(page);
        async move {
            let (page_items, total) = request.await?;
            let listed = listed_first + listed_before + page_items.len();
            // `total` decides when it is there: a server may cap pages below `page_size`.
            let last = match total {
                Some(total) => page_items.is_empty() || listed as u64 >= total,
                None => page_items.len() < page_size,
            };
            Ok(Page {
                items: page_items,
                next: (!last).then_some(page + 1),
            })
        }
    })
    .await?;
    items.extend(rest);
    Ok(items)
}

/// The one loop: `fetch(cursor, items listed so far)` until the last page, with the page limit
/// and the repeated-cursor guard.
async fn walk<T, C, F, Fut>(vendor: VendorId, what: &str, mut fetch: F) -> Result<Vec<T>>
where
    C: Clone + Eq + Hash,
    F: FnMut(Option<C>, usize) -> Fut,
    Fut: Future<Output = Result<Page<T, C>>>,
{
    let mut items = Vec::new();
    let mut cursor: Option<C> = None;
    let mut seen = HashSet::new();
    for _ in 0..MAX_PAGES {
        let page = fetch(cursor.take(), items.len()).await?;
        items.extend(page.items);
        match page.next {
            None => return Ok(items),
            Some(next) if !seen.insert(next.clone()) => {
                return Err(Error::Decode {
                    message: format!(
                        "{} returned the same page cursor twice while listing {what}; the list \
                         may be incomplete",
                        vendor.display_name()
                    ),
                    raw: None,
                })
            }
            Some(next) => cursor = Some(next),
        }
    }
    Err(Error::Decode {
        message: format!(
            "{} kept returning pages of {what} after {MAX_PAGES}; stopped listing",
            vendor.display_name()
        ),
        raw: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: VendorId = VendorId::Ibm;

    #[tokio::test]
    async fn tokens_are_followed_to_the_last_page() {
        let pages = [
            (vec![1, 2], Some("a")),
            (vec![3], Some("")),
            (vec![9], None),
        ];
        let mut asked = Vec::new();
        let all = all_pages(V, "keys", |cursor: Option<String>| {
            asked.push(cursor.clone());
            let i = match cursor.as_deref() {
                None => 0,
                Some("a") => 1,
                _ => 2,
            };
            let (items, next) = pages[i].clone();
            async move { Ok(Page::token(items, next.map(str::to_string))) }
        })
        .await
        .unwrap();
        assert_eq!(all, vec![1, 2, 3], "an empty token ends the list");
        assert_eq!(asked, vec![None, Some("a".to_string())]);
    }

    #[tokio::test]
    async fn a_repeated_cursor_stops_the_listing() {
        let e = all_pages(V, "API keys", |_: Option<String>| async {
            Ok(Page::token(vec![1], Some("same".into())))
        })
        .await
        .unwrap_err();
        assert_eq!(e.code(), crate::Code::Decode);
        assert!(
            e.to_string()
                .contains("same page cursor twice while listing API keys"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn after_id_pages_continue_from_the_last_item() {
        let data: Vec<String> = (0..5).map(|i| format!("id{i}")).collect();
        let mut afters = Vec::new();
        let all = all_pages(V, "keys", |after: Option<String>| {
            afters.push(after.clone());
            let start = after.map_or(0, |a| data.iter().position(|d| *d == a).unwrap() + 1);
            let items: Vec<String> = data.iter().skip(start).take(2).cloned().collect();
            let has_more = start + 2 < data.len();
            async move { Page::after_id(V, items, has_more, None, |s: &String| s.as_str()) }
        })
        .await
        .unwrap();
        assert_eq!(all, data);
        assert_eq!(afters, vec![None, Some("id1".into()), Some("id3".into())]);
        let e = Page::after_id(V, Vec::<String>::new(), true, None, |s| s.as_str()).unwrap();
        assert!(
            e.next.is_none(),
            "an empty page ends the list whatever has_more says"
        );
    }

    #[tokio::test]
    async fn numbered_pages_after_the_first_are_fetched_concurrently_in_order() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let (in_flight, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let all = numbered(V, "keys", 10, |page| {
            let (in_flight, most) = (&in_flight, &most);
            async move {
                most.fetch_max(
                    in_flight.fetch_add(1, Ordering::SeqCst) + 1,
                    Ordering::SeqCst,
                );
                // Later pages answer sooner: the order must still be the pages' order.
                tokio::time::sleep(std::time::Duration::from_millis(40 - page as u64)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                let items: Vec<u32> = (1..=95).skip((page as usize - 1) * 10).take(10).collect();
                Ok((items, Some(95)))
            }
        })
        .await
        .unwrap();
        assert_eq!(all, (1..=95).collect::<Vec<u32>>());
        let most = most.load(Ordering::SeqCst);
        assert!(
            (2..=CONCURRENT_PAGES).contains(&most),
            "{most} pages in flight at most"
        );
    }

    #[tokio::test]
    async fn numbered_pages_follow_items_added_or_removed_while_listing() {
        // Two items added after the first page: the total grows to 7, pages 4 follows alone.
        let mut asked = Vec::new();
        let all = numbered(V, "keys", 2, |page| {
            asked.push(page);
            let total = if page == 1 { 5 } else { 7 };
            async move {
                let items: Vec<u32> = (1..=total).skip((page as usize - 1) * 2).take(2).collect();
                Ok((items, Some(total as u64)))
            }
        })
        .await
        .unwrap();
        assert_eq!(all, (1..=7).collect::<Vec<u32>>());
        assert_eq!(asked, vec![1, 2, 3, 4]);
        // Items removed: a page beyond the end comes back empty and ends the list.
        let all = numbered(V, "keys", 2, |page| async move {
            let items: Vec<u32> = (1..=3).skip((page as usize - 1) * 2).take(2).collect();
            Ok((items, Some(if page == 1 { 6 } else { 3 })))
        })
        .await
        .unwrap();
        assert_eq!(all, vec![1, 2, 3]);
    }

    #[tokio::test]
    async fn numbered_pages_stop_at_the_total_or_a_short_page() {
        // A server that caps pages at 2 while 5 items exist: the total decides.
        let all = numbered(V, "keys", 100, |page| async move {
            let items: Vec<u32> = (1..=5).skip((page as usize - 1) * 2).take(2).collect();
            Ok((items, Some(5)))
        })
        .await
        .unwrap();
        assert_eq!(all, vec![1, 2, 3, 4, 5]);
        // Without a total, a short page is the last.
        let mut asked = Vec::new();
        let all = numbered(V, "keys", 2, |page| {
            asked.push(page);
            async move {
                Ok((
                    (1..=3)
                        .skip((page as usize - 1) * 2)
                        .take(2)
                        .collect::<Vec<u32>>(),
                    None,
                ))
            }
        })
        .await
        .unwrap();
        assert_eq!(all, vec![1, 2, 3]);
        assert_eq!(asked, vec![1, 2]);
    }
}
