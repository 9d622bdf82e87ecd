// SPDX-License-Identifier: GPL-2.0
/*
 * SLUB-LL on Linux 7.3: the entry points above single objects.
 *
 * Linux 7.3 made the slab allocator own the kmalloc front end that common
 * code used to hold, and added entry points that did not exist before.
 * This file serves them for SLUB-LL:
 *
 *   kmalloc		pick the kmalloc cache (bucket, partition, type) of
 *			a size, take one object, tell KASAN the size asked
 *   large kmalloc	sizes above KMALLOC_MAX_CACHE_SIZE go to the page
 *			allocator as compound pages of the large-kmalloc type
 *   kfree, ksize, krealloc, the kvmalloc family, kvfree_rcu_cb
 *   kmem_cache_charge	memcg charge after the fact
 *   kmalloc_nolock	any context, NMI included: never sleeps, never spins
 *   kfree_nolock	the same; a free the core cannot finish here waits on
 *			a per-CPU list for an irq_work, which
 *			kfree_rcu_nolock() shares through defer_kfree_rcu()
 *   kvfree_rcu hooks	SLUB-LL keeps no RCU sheaves: no-ops
 *   sheaves		the prefill API of the maple tree: an array of raw
 *			objects, each run through the allocation hooks when
 *			handed out
 *
 * It is not built on its own: mm/slub_ll_tree.c includes it after the
 * core, so it sees mm/slab.h, mm/internal.h, mm/page_alloc.h (frozen
 * pages), <trace/events/kmem.h> and the core's object calls (sll_alloc(),
 * sll_free(), their nolock, raw-bulk and hook variants, sll_usable_size()).
 *
 * Nothing here touches a slab: every object comes from and goes back to the
 * core, so this file holds no lock and keeps no state but the per-CPU
 * deferral lists.
 */

#include <linux/irq_work.h>
#include <linux/kmemleak.h>
#include <linux/kmsan.h>
#include <linux/llist.h>
#include <linux/vmalloc.h>

/* ---------------------------------------------------------------------
 * Large kmalloc: straight from the page allocator
 */

/*
 * Bytes of large kmallocs count as unreclaimable slab memory, on the
 * page's node and, when the page allocator charged it (__GFP_ACCOUNT),
 * its memory cgroup.
 */
static void sll_large_count(struct page *page, unsigned int order, int sign)
{
	mod_lruvec_page_state(page, NR_SLAB_UNRECLAIMABLE_B,
			      sign * (int)(PAGE_SIZE << order));
}

/*
 * A request too big for the kmalloc caches: a compound page, typed as a
 * large kmalloc so that kfree() and ksize() recognise it, and counted on
 * the caller's allocation tag by the page allocator.  The object hooks
 * run on failure too (they take NULL), KASAN's first, as it may hand
 * back a tagged pointer that the others must see.
 */
static void *sll_kmalloc_large(size_t size, gfp_t gfp, int node)
{
	unsigned int order = get_order(size);
	struct page *page;
	void *addr = NULL;

	if (unlikely(gfp & GFP_SLAB_BUG_MASK))
		gfp = kmalloc_fix_flags(gfp);
	page = sll_alloc_pages_noprof(gfp | __GFP_COMP, node, order);
	if (page) {
		__folio_set_large_kmalloc(page_folio(page));
		sll_large_count(page, order, 1);
		addr = page_address(page);
	}
	addr = kasan_kmalloc_large(addr, size, gfp);
	kmemleak_alloc(addr, size, 1, gfp);
	kmsan_kmalloc_large(addr, size, gfp);
	return addr;
}

/* The other way: hooks, counters, page type, then the pages. */
static void sll_kfree_large(struct page *page, void *object)
{
	unsigned int order = compound_order(page);

	if (WARN_ONCE(!PageLargeKmalloc(page),
		      "SLUB-LL: kfree(%p): neither a slab object nor a large kmalloc\n",
		      object))
		return;
	kmemleak_free(object);
	kasan_kfree_large(object);
	kmsan_kfree_large(object);
	sll_large_count(page, order, -1);
	__folio_clear_large_kmalloc(page_folio(page));
	free_frozen_pages(page, order);
}

void *__kmalloc_large_noprof(size_t size, gfp_t flags)
{
	void *ret = sll_kmalloc_large(size, flags, NUMA_NO_NODE);

	trace_kmalloc(_RET_IP_, ret, size, PAGE_SIZE << get_order(size),
		      flags, NUMA_NO_NODE);
	return ret;
}
EXPORT_SYMBOL(__kmalloc_large_noprof);

void *__kmalloc_large_node_noprof(size_t size, gfp_t flags, int node)
{
	void *ret = sll_kmalloc_large(size, flags, node);

	trace_kmalloc(_RET_IP_, ret, size, PAGE_SIZE << get_order(size),
		      flags, node);
	return ret;
}
EXPORT_SYMBOL(__kmalloc_large_node_noprof);

/* ---------------------------------------------------------------------
 * kmalloc
 */

/*
 * Every kmalloc of a size not known at compile time ends here.  @b is
 * NULL unless the caller has its own buckets; @token picks the partition
 * when CONFIG_KMALLOC_PARTITION_CACHES is on and is empty otherwise.
 */
static __always_inline void *sll_kmalloc(kmem_buckets *b, size_t size,
					 gfp_t flags, int node,
					 kmalloc_token_t token,
					 unsigned int alloc_flags,
					 unsigned long caller)
{
	struct kmem_cache *s;
	void *ret;

	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE)) {
		ret = sll_kmalloc_large(size, flags, node);
		trace_kmalloc(caller, ret, size, PAGE_SIZE << get_order(size),
			      flags, node);
		return ret;
	}
	if (unlikely(!size))
		return ZERO_SIZE_PTR;

	s = kmalloc_slab(size, b, flags, token, alloc_flags);
	ret = sll_alloc(s, NULL, flags, node, size, caller);
	ret = kasan_kmalloc(s, ret, size, flags);
	trace_kmalloc(caller, ret, size, s->size, flags, node);
	return ret;
}

void *__kmalloc_noprof(DECL_TOKEN_PARAMS(size, token), gfp_t flags)
{
	return sll_kmalloc(NULL, size, flags, NUMA_NO_NODE,
			   PASS_TOKEN_PARAM(token), SLAB_ALLOC_DEFAULT,
			   _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_noprof);

void *__kmalloc_node_noprof(DECL_KMALLOC_PARAMS(size, b, token), gfp_t flags,
			    int node)
{
	return sll_kmalloc(PASS_BUCKET_PARAM(b), size, flags, node,
			   PASS_TOKEN_PARAM(token), SLAB_ALLOC_DEFAULT,
			   _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_node_noprof);

void *__kmalloc_node_track_caller_noprof(DECL_KMALLOC_PARAMS(size, b, token),
					 gfp_t flags, int node,
					 unsigned long caller)
{
	return sll_kmalloc(PASS_BUCKET_PARAM(b), size, flags, node,
			   PASS_TOKEN_PARAM(token), SLAB_ALLOC_DEFAULT, caller);
}
EXPORT_SYMBOL(__kmalloc_node_track_caller_noprof);

/* kmalloc() of a constant size: the inline caller has chosen @s. */
void *__kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags, size_t size)
{
	void *ret = sll_alloc(s, NULL, flags, NUMA_NO_NODE, size, _RET_IP_);

	ret = kasan_kmalloc(s, ret, size, flags);
	trace_kmalloc(_RET_IP_, ret, size, s->size, flags, NUMA_NO_NODE);
	return ret;
}
EXPORT_SYMBOL(__kmalloc_cache_noprof);

void *__kmalloc_cache_node_noprof(struct kmem_cache *s, gfp_t flags, int node,
				  size_t size)
{
	void *ret = sll_alloc(s, NULL, flags, node, size, _RET_IP_);

	ret = kasan_kmalloc(s, ret, size, flags);
	trace_kmalloc(_RET_IP_, ret, size, s->size, flags, node);
	return ret;
}
EXPORT_SYMBOL(__kmalloc_cache_node_noprof);

/* ---------------------------------------------------------------------
 * kmalloc_nolock: any context, never spin, never sleep
 */

/* The gfp bits kmalloc_nolock() understands. */
#define SLL_NOLOCK_GFP	(__GFP_ACCOUNT | __GFP_ZERO | __GFP_NOWARN | \
			 __GFP_NOMEMALLOC)

/*
 * The core answers NULL where it would have to wait (an NMI on a CPU whose
 * own list is empty, a CPU inside one of the allocator's sections,
 * page-lock mode).  The next bucket may still have objects at hand on this
 * CPU, so one retry there is worth its cost; then NULL means no memory.
 */
static void *sll_kmalloc_nolock(size_t size, gfp_t gfp, int node,
				kmalloc_token_t token, unsigned int alloc_flags)
{
	struct kmem_cache *s;
	void *ret;

	VM_WARN_ON_ONCE(gfp & ~SLL_NOLOCK_GFP);
	gfp = (gfp & SLL_NOLOCK_GFP) | __GFP_NOWARN | __GFP_NOMEMALLOC;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE) || !can_spin_trylock())
		return NULL;

	s = kmalloc_slab(size, NULL, gfp, token, alloc_flags);
	ret = sll_alloc_nolock(s, gfp, node, size);
	if (unlikely(!ret) && s->object_size < KMALLOC_MAX_CACHE_SIZE) {
		s = kmalloc_slab(s->object_size + 1, NULL, gfp, token,
				 alloc_flags);
		ret = sll_alloc_nolock(s, gfp, node, size);
	}
	return kasan_kmalloc(s, ret, size, gfp);
}

void *_kmalloc_nolock_noprof(DECL_TOKEN_PARAMS(size, token), gfp_t gfp_flags,
			     int node)
{
	return sll_kmalloc_nolock(size, gfp_flags, node,
				  PASS_TOKEN_PARAM(token), SLAB_ALLOC_NOLOCK);
}
EXPORT_SYMBOL_GPL(_kmalloc_nolock_noprof);

/* kmalloc that takes slab alloc_flags: the nolock way when they say so. */
void *__kmalloc_flags_noprof(DECL_TOKEN_PARAMS(size, token), gfp_t flags,
			     unsigned int alloc_flags, int node)
{
	if (!alloc_flags_allow_spinning(alloc_flags))
		return sll_kmalloc_nolock(size, flags, node,
					  PASS_TOKEN_PARAM(token), alloc_flags);

	return sll_kmalloc(NULL, size, flags, node, PASS_TOKEN_PARAM(token),
			   alloc_flags, _RET_IP_);
}

/* ---------------------------------------------------------------------
 * Deferred frees: kfree_nolock() and kfree_rcu_nolock()
 *
 * What cannot be done in the caller's context waits on lists of its CPU.
 * An irq_work of that CPU empties them: it runs as an interrupt, so never
 * inside one of the allocator's irq-off sections, and may do what kfree()
 * does in an interrupt.  A deferred object is linked through the word at
 * s->offset, where the core keeps a free object's next pointer: nothing
 * the object's users rely on lives there once it is freed.  llist_add()
 * and irq_work_queue() are safe in NMI.
 */
struct sll_deferred {
	struct llist_head objects;	/* kfree_nolock(), at s->offset */
	struct llist_head rcu_heads;	/* for kvfree_call_rcu() */
	struct irq_work work;
};

static void sll_deferred_run(struct irq_work *work);

static DEFINE_PER_CPU(struct sll_deferred, sll_deferred) = {
	.objects = LLIST_HEAD_INIT(objects),
	.rcu_heads = LLIST_HEAD_INIT(rcu_heads),
	.work = IRQ_WORK_INIT(sll_deferred_run),
};

/* An empty list was just filled: the work is not pending for it yet. */
static void sll_defer(struct llist_node *node, bool rcu)
{
	struct sll_deferred *d;

	guard(preempt)();
	d = this_cpu_ptr(&sll_deferred);
	if (llist_add(node, rcu ? &d->rcu_heads : &d->objects))
		irq_work_queue(&d->work);
}

/* Its free hooks ran in kfree_nolock(): only the slab's part is left. */
static void sll_deferred_free(struct llist_node *node)
{
	struct slab *slab = virt_to_slab(node);
	struct kmem_cache *s = slab->slab_cache;

	sll_free_deferred(s, slab, (void *)node - s->offset);
}

static void sll_deferred_run(struct irq_work *work)
{
	struct sll_deferred *d = container_of(work, struct sll_deferred, work);
	struct llist_node *pos, *next;

	llist_for_each_safe(pos, next, llist_del_all(&d->objects))
		sll_deferred_free(pos);

	llist_for_each_safe(pos, next, llist_del_all(&d->rcu_heads))
		kvfree_call_rcu((struct kvfree_rcu_head *)pos,
				kvmalloc_obj_start_addr(pos));
}

void defer_kfree_rcu(struct kvfree_rcu_head *head)
{
	BUILD_BUG_ON(sizeof(*head) < sizeof(struct llist_node));
	sll_defer((struct llist_node *)head, true);
}

/* Every deferral queued before the call has been carried out. */
void deferred_work_barrier(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&sll_deferred, cpu)->work);
}

/*
 * Only for objects of kmalloc_nolock(): kmemleak and KFENCE never saw them.
 * Large kmalloc is not served.
 */
void kfree_nolock(const void *object)
{
	void *x = (void *)object;
	struct kmem_cache *s;
	struct slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(object)))
		return;

	slab = virt_to_slab(object);
	if (WARN_ONCE(!slab, "%s() of a large kmalloc object\n", __func__))
		return;

	s = slab->slab_cache;
	if (!sll_free_nolock(s, slab, x))
		sll_defer(kasan_reset_tag(x) + s->offset, false);
}
EXPORT_SYMBOL_GPL(kfree_nolock);

/* ---------------------------------------------------------------------
 * kfree, ksize, krealloc
 */

void kfree(const void *object)
{
	void *x = (void *)object;
	struct page *page;
	struct slab *slab;

	trace_kfree(_RET_IP_, object);

	if (unlikely(ZERO_OR_NULL_PTR(object)))
		return;

	page = virt_to_page(object);
	slab = page_slab(page);
	if (unlikely(!slab)) {
		sll_kfree_large(page, x);
		return;
	}
	sll_free(slab->slab_cache, slab, x, _RET_IP_);
}
EXPORT_SYMBOL(kfree);

static size_t sll_ksize(const void *object)
{
	struct page *page = virt_to_page(object);
	struct slab *slab;

	if (unlikely(PageLargeKmalloc(page)))
		return large_kmalloc_size(page);

	slab = page_slab(page);
	if (WARN_ON(!slab))
		return page_size(page);

	return sll_usable_size(slab->slab_cache);
}

/*
 * KASAN checks the pointer first: a freed or wild object reports here, and
 * reads as size 0 so that nobody writes through it.
 */
size_t ksize(const void *objp)
{
	if (unlikely(ZERO_OR_NULL_PTR(objp)) || !kasan_check_byte(objp))
		return 0;

	return kfence_ksize(objp) ?: sll_ksize(objp);
}
EXPORT_SYMBOL(ksize);

/*
 * The bytes @p may grow to in place: the cache's object_size, the pages of
 * a large kmalloc, KFENCE's exact size.  @orig gets the size asked for at
 * allocation where it is known (only KFENCE knows it), else 0.
 */
static size_t sll_krealloc_room(const void *p, size_t *orig)
{
	struct page *page;
	struct slab *slab;

	*orig = 0;
	if (is_kfence_address(p)) {
		*orig = kfence_ksize(p);
		return *orig;
	}

	page = virt_to_page(p);
	slab = page_slab(page);
	if (slab)
		return slab->slab_cache->object_size;

	WARN_ON(p != page_address(page));
	return page_size(page);
}

static bool sll_krealloc_in_place(const void *p, size_t room, size_t new_size,
				  unsigned long align, gfp_t flags, int nid)
{
	if ((flags & __GFP_THISNODE) && nid != NUMA_NO_NODE &&
	    nid != page_to_nid(virt_to_page(p)))
		return false;

	return new_size <= room && IS_ALIGNED((unsigned long)p, align);
}

/*
 * Without the exact old size, zero everything behind @new_size; with it
 * (KFENCE), what lies between the old and the new size.
 */
static void sll_krealloc_zero(const void *p, size_t orig, size_t room,
			      size_t new_size)
{
	void *base = kasan_reset_tag(p);

	kasan_disable_current();
	if (orig && orig < new_size)
		memset(base + orig, 0, new_size - orig);
	else
		memset(base + new_size, 0, room - new_size);
	kasan_enable_current();
}

static void *sll_krealloc(const void *p, size_t new_size, unsigned long align,
			  gfp_t flags, int nid, kmalloc_token_t token,
			  unsigned long caller)
{
	size_t orig = 0, room = 0;
	void *ret;

	if (!ZERO_OR_NULL_PTR(p)) {
		/* A freed @p must not be read, nor freed again. */
		if (!kasan_check_byte(p))
			return NULL;

		room = sll_krealloc_room(p, &orig);
		if (sll_krealloc_in_place(p, room, new_size, align, flags,
					  nid)) {
			if (want_init_on_alloc(flags))
				sll_krealloc_zero(p, orig, room, new_size);
			return (void *)kasan_krealloc(p, new_size, flags);
		}
	}

	ret = sll_kmalloc(NULL, new_size, flags, nid, token, SLAB_ALLOC_DEFAULT,
			  caller);
	if (ret && room) {
		kasan_disable_current();
		memcpy(ret, kasan_reset_tag(p), min(new_size, orig ?: room));
		kasan_enable_current();
	}
	return ret;
}

void *krealloc_node_align_noprof(const void *p,
				 DECL_TOKEN_PARAMS(new_size, token),
				 unsigned long align, gfp_t flags, int nid)
{
	void *ret;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}

	ret = sll_krealloc(p, new_size, align, flags, nid,
			   PASS_TOKEN_PARAM(token), _RET_IP_);
	if (ret && kasan_reset_tag(p) != kasan_reset_tag(ret))
		kfree(p);
	return ret;
}
EXPORT_SYMBOL(krealloc_node_align_noprof);

/* ---------------------------------------------------------------------
 * kvmalloc family: kmalloc first, vmalloc when that fails
 */

/*
 * Above a page, physically contiguous memory is a wish, not a need: no
 * warning, no direct reclaim unless the caller insists with
 * __GFP_RETRY_MAYFAIL, and __GFP_NOFAIL is left to the vmalloc fallback.
 */
static gfp_t sll_kv_gfp(gfp_t flags, size_t size)
{
	if (size <= PAGE_SIZE)
		return flags;

	flags |= __GFP_NOWARN;
	if (!(flags & __GFP_RETRY_MAYFAIL))
		flags &= ~__GFP_DIRECT_RECLAIM;
	return flags & ~__GFP_NOFAIL;
}

/* vmalloc's huge mappings may sleep: only for callers that may block. */
static void *sll_kv_vmalloc(size_t size, unsigned long align, gfp_t flags,
			    int node, const void *caller)
{
	unsigned long vm_flags = 0;

	if (unlikely(size > INT_MAX)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	if (gfpflags_allow_blocking(flags))
		vm_flags = VM_ALLOW_HUGE_VMAP;

	return __vmalloc_node_range_noprof(size, align, VMALLOC_START,
					   VMALLOC_END, flags, PAGE_KERNEL,
					   vm_flags, node, caller);
}

void *__kvmalloc_node_noprof(DECL_KMALLOC_PARAMS(size, b, token),
			     unsigned long align, gfp_t flags, int node)
{
	void *ret;

	ret = sll_kmalloc(PASS_BUCKET_PARAM(b), size, sll_kv_gfp(flags, size),
			  node, PASS_TOKEN_PARAM(token), SLAB_ALLOC_DEFAULT,
			  _RET_IP_);
	/* Below a page, vmalloc would not do better. */
	if (ret || size <= PAGE_SIZE)
		return ret;

	return sll_kv_vmalloc(size, align, flags, node,
			      __builtin_return_address(0));
}
EXPORT_SYMBOL(__kvmalloc_node_noprof);

void *kvrealloc_node_align_noprof(const void *p, DECL_TOKEN_PARAMS(size, token),
				  unsigned long align, gfp_t flags, int nid)
{
	void *n;

	if (is_vmalloc_addr(p))
		return vrealloc_node_align_noprof(p, size, align, flags, nid);

	n = krealloc_node_align_noprof(p, PASS_TOKEN_PARAMS(size, token), align,
				       sll_kv_gfp(flags, size), nid);
	if (n)
		return n;

	n = __kvmalloc_node_noprof(PASS_KMALLOC_PARAMS(size, NULL, token),
				   align, flags, nid);
	if (n && p) {
		/* krealloc() failed, so @p is a live kmalloc object. */
		kasan_disable_current();
		memcpy(n, kasan_reset_tag(p), min(size, ksize(p)));
		kasan_enable_current();
		kfree(p);
	}
	return n;
}
EXPORT_SYMBOL(kvrealloc_node_align_noprof);

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}
EXPORT_SYMBOL(kvfree);

/* kvfree() for atomic context (not NMI): vfree_atomic() defers. */
void kvfree_atomic(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree_atomic(addr);
	else
		kfree(addr);
}
EXPORT_SYMBOL(kvfree_atomic);

/* memzero_explicit(): a store the compiler may not drop before the free. */
void kvfree_sensitive(const void *addr, size_t len)
{
	if (likely(!ZERO_OR_NULL_PTR(addr))) {
		memzero_explicit((void *)addr, len);
		kvfree(addr);
	}
}
EXPORT_SYMBOL(kvfree_sensitive);

#ifndef CONFIG_KVFREE_RCU_BATCHED
/*
 * The RCU callback of kvfree_call_rcu() when kvfree_rcu does not batch:
 * @head lies inside a kvmalloc object, less than a page from its start.
 */
void kvfree_rcu_cb(struct rcu_head *head)
{
	void *obj = kvmalloc_obj_start_addr(head);
	struct page *page;
	struct slab *slab;

	if (is_vmalloc_addr(obj)) {
		vfree(obj);
		return;
	}

	page = virt_to_page(obj);
	slab = page_slab(page);
	if (slab)
		sll_free(slab->slab_cache, slab, obj, _RET_IP_);
	else
		sll_kfree_large(page, obj);
}
#endif

/* SLUB-LL has no left redzone: an object starts where its slot starts. */
void *fixup_red_left(struct kmem_cache *s, void *p)
{
	return p;
}

/* ---------------------------------------------------------------------
 * kmem_cache_charge: memcg charge of an object already allocated
 */

#ifdef CONFIG_MEMCG
/*
 * The page is already in the global NR_SLAB_UNRECLAIMABLE_B; once charged,
 * move its bytes to the lruvec counter that includes the memcg.
 */
static bool sll_charge_large(struct page *page, gfp_t gfp)
{
	unsigned int order = large_kmalloc_order(page);
	int bytes = PAGE_SIZE << order;

	if (PageMemcgKmem(page))
		return true;
	if (__memcg_kmem_charge_page(page, gfp, order))
		return false;

	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B, -bytes);
	mod_lruvec_page_state(page, NR_SLAB_UNRECLAIMABLE_B, bytes);
	return true;
}

/*
 * Slab objects go to the tree layer's
 *	static bool sll_charge_slab_object(struct kmem_cache *s,
 *					   struct slab *slab, void *p,
 *					   gfp_t gfp);
 * true when the object needs no charge (cache not accounted, object
 * already charged) or the charge succeeded.
 */
bool kmem_cache_charge(void *objp, gfp_t gfpflags)
{
	struct page *page;
	struct slab *slab;

	if (!memcg_kmem_online())
		return true;

	page = virt_to_page(objp);
	if (PageLargeKmalloc(page))
		return sll_charge_large(page, gfpflags);

	slab = page_slab(page);
	if (WARN_ON_ONCE(!slab))
		return true;
	return sll_charge_slab_object(slab->slab_cache, slab, objp, gfpflags);
}
#else
bool kmem_cache_charge(void *objp, gfp_t gfpflags)
{
	return true;
}
#endif
EXPORT_SYMBOL(kmem_cache_charge);

/* ---------------------------------------------------------------------
 * kvfree_rcu and sheaves
 */

/* No per-CPU RCU sheaves in SLUB-LL: kvfree_rcu's own batching takes it. */
bool __kfree_rcu_sheaf(struct kmem_cache *s, void *obj,
		       unsigned int free_flags)
{
	return false;
}

/* Nothing to flush: __kfree_rcu_sheaf() never keeps an object. */
void flush_all_rcu_sheaves(void)
{
}

/* Nothing to flush: __kfree_rcu_sheaf() never keeps an object. */
void flush_rcu_sheaves_on_cache(struct kmem_cache *s)
{
}

/*
 * The sheaf API: a caller (the maple tree) prefills a sheaf with as many
 * objects as its next operation may need, then takes them where it cannot
 * allocate.  A sheaf is a private array of raw objects: filled by one bulk
 * allocation of exactly what was asked for, each object run through the
 * allocation hooks (memcg, KASAN, init_on_alloc, ...) when handed out, what
 * is left returned raw with the sheaf.  SLUB-LL keeps no sheaves around: a
 * returned sheaf is emptied and freed.  A sheaf may hold a KFENCE object
 * (the bulk fill samples like any allocation); it was filled without
 * __GFP_ZERO, so it is cleared when handed out to a caller that asks.
 */
struct slab_sheaf {
	unsigned int capacity;	/* slots in objects[] */
	unsigned int size;	/* raw objects in objects[0 .. size) */
	void *objects[];
};

/* Take effect when an object is handed out, not while a sheaf fills. */
#define SLL_SHEAF_HANDOUT_GFP	(__GFP_ZERO | __GFP_ACCOUNT)

static struct slab_sheaf *sll_sheaf_new(struct kmem_cache *s, gfp_t gfp,
					unsigned int size)
{
	unsigned int capacity = max(size, s->sheaf_capacity);
	struct slab_sheaf *sheaf;

	sheaf = kmalloc(struct_size(sheaf, objects, capacity),
			gfp & ~SLL_SHEAF_HANDOUT_GFP);
	if (sheaf) {
		sheaf->capacity = capacity;
		sheaf->size = 0;
	}
	return sheaf;
}

/* All or nothing: on failure the sheaf holds what it held before. */
static int sll_sheaf_fill(struct kmem_cache *s, gfp_t gfp,
			  struct slab_sheaf *sheaf, unsigned int size)
{
	void **free_slots = &sheaf->objects[sheaf->size];

	if (!sll_alloc_bulk_raw(s, gfp & ~SLL_SHEAF_HANDOUT_GFP,
				size - sheaf->size, free_slots))
		return -ENOMEM;

	sheaf->size = size;
	return 0;
}

struct slab_sheaf *kmem_cache_prefill_sheaf(struct kmem_cache *s, gfp_t gfp,
					    unsigned int size)
{
	struct slab_sheaf *sheaf;

	if (unlikely(!size))
		return NULL;

	sheaf = sll_sheaf_new(s, gfp, size);
	if (sheaf && sll_sheaf_fill(s, gfp, sheaf, size)) {
		kfree(sheaf);
		sheaf = NULL;
	}
	return sheaf;
}

/* A bigger array takes the objects over; none goes back to the cache. */
static struct slab_sheaf *sll_sheaf_grow(struct kmem_cache *s, gfp_t gfp,
					 struct slab_sheaf *old,
					 unsigned int size)
{
	struct slab_sheaf *sheaf = sll_sheaf_new(s, gfp, size);

	if (!sheaf)
		return NULL;

	memcpy(sheaf->objects, old->objects, old->size * sizeof(void *));
	sheaf->size = old->size;
	if (sll_sheaf_fill(s, gfp, sheaf, size)) {
		kfree(sheaf);
		return NULL;
	}
	kfree(old);
	return sheaf;
}

/*
 * Top *@sheafp up to at least @size objects, in a bigger sheaf if it has
 * not the room.  -ENOMEM leaves *@sheafp as it was.
 */
int kmem_cache_refill_sheaf(struct kmem_cache *s, gfp_t gfp,
			    struct slab_sheaf **sheafp, unsigned int size)
{
	struct slab_sheaf *sheaf;

	if (!sheafp || !*sheafp)
		return -EINVAL;

	sheaf = *sheafp;
	if (sheaf->size >= size)
		return 0;
	if (size <= sheaf->capacity)
		return sll_sheaf_fill(s, gfp, sheaf, size);

	sheaf = sll_sheaf_grow(s, gfp, sheaf, size);
	if (!sheaf)
		return -ENOMEM;
	*sheafp = sheaf;
	return 0;
}

/* Objects never handed out saw no hook: they go back raw.  Never sleeps. */
void kmem_cache_return_sheaf(struct kmem_cache *s, gfp_t gfp,
			     struct slab_sheaf *sheaf)
{
	if (sheaf->size)
		sll_free_bulk_raw(s, sheaf->size, sheaf->objects);
	kfree(sheaf);
}

/*
 * Cannot fail while the sheaf holds objects, and has no fallback once it
 * is empty.  @gfp matters for __GFP_ZERO and __GFP_ACCOUNT; the memcg
 * charge is forced (__GFP_NOFAIL) so that a taken object is never lost.
 */
void *kmem_cache_alloc_from_sheaf_noprof(struct kmem_cache *s, gfp_t gfp,
					 struct slab_sheaf *sheaf)
{
	void *obj = NULL;

	if (likely(sheaf->size)) {
		obj = sheaf->objects[--sheaf->size];
		if (!sll_alloc_hooks(s, NULL, gfp | __GFP_NOFAIL, 1, &obj,
				     s->object_size))
			obj = NULL;
		/* the hooks leave KFENCE objects to KFENCE, which did not */
		if (obj && is_kfence_address(obj) &&
		    slab_want_init_on_alloc(gfp, s))
			memset(obj, 0, s->object_size);
	}
	trace_kmem_cache_alloc(_RET_IP_, obj, s, gfp, NUMA_NO_NODE);
	return obj;
}

unsigned int kmem_cache_sheaf_size(struct slab_sheaf *sheaf)
{
	return sheaf->size;
}
