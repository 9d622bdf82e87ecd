// SPDX-License-Identifier: GPL-2.0
/*
 * SLUB-LL on Linux 7.3: the entry points this kernel calls a slab
 * allocator by, and the hooks around them.  Included at the end of
 * mm/slub_ll.c, the allocator core, so that the core's fastpath inlines
 * into them; mm/slub_ll_tree.h holds the primitives the core needs from
 * this kernel.  The same file exists for every tree the series targets.
 *
 * In 7.3 the allocator owns more than in 6.1: the hooks before and after
 * an allocation and a free (failslab, KASAN, kmemleak, memory cgroups and
 * memory allocation profiling through the slab object extensions in
 * slab->obj_exts), the kmalloc front end, kmalloc_nolock() and the sheaf
 * API (mm/slub_ll_front.c, included below).  Merging is the common
 * code's; cache creation hands over a struct kmem_cache_args.
 */

/* ---------------------------------------------------------------------
 * Slab pages: node statistics and the object extension vector
 */

/*
 * Bits of the caller's gfp that a slab's own metadata (the vector) must
 * not inherit: it is not accounted, not DMA, not reclaimable, not bound
 * to the caller's node or to __GFP_NOFAIL, and not a compound page.
 */
#define SLL_EXTS_GFP_CLEAR	(__GFP_DMA | __GFP_RECLAIMABLE | \
				 __GFP_ACCOUNT | __GFP_NOFAIL | \
				 __GFP_THISNODE | __GFP_COMP)

#ifdef CONFIG_SLAB_OBJ_EXT
#ifdef CONFIG_MEM_ALLOC_PROFILING_DEBUG
/*
 * A slab whose vector could not be had hands out its objects untagged.
 * With the debug checks, it says so in slab->obj_exts (unless another
 * CPU installed a vector meanwhile: false then), and the vector that
 * comes later marks every object's tag "empty" rather than unset, so
 * that freeing those objects is no error.
 */
static bool sll_exts_mark_failed(struct slab *slab)
{
	return cmpxchg(&slab->obj_exts, 0, OBJEXTS_ALLOC_FAIL) == 0;
}

static void sll_exts_untagged(struct slab *slab, void *vec)
{
	size_t stride = slab_obj_ext_size(slab);
	unsigned int i;

	if (!slab_obj_ext_has_codetag())
		return;
	for (i = 0; i < slab->objects; i++)
		set_codetag_empty(slab_obj_ext_codetag_ref(slab,
							   vec + i * stride));
}
#else
static inline bool sll_exts_mark_failed(struct slab *slab)
{
	return false;
}

static inline void sll_exts_untagged(struct slab *slab, void *vec)
{
}
#endif /* CONFIG_MEM_ALLOC_PROFILING_DEBUG */

/*
 * The vector of object extensions of @slab: per object, an objcg pointer
 * where the cache may charge memory cgroups, then a tag reference where
 * allocation profiling may run (mm/slab.h sizes the entries).  Allocated
 * when a slab is made for a cache that wants one at once
 * (SLAB_ALLOC_NEW_SLAB: nobody else can see the slab yet, see
 * sll_wants_exts()), else the first time an object of the slab is
 * charged or tagged.  Several CPUs may race to install one; the first
 * wins.  Called by mm/memcontrol.c too.
 *
 * The vector is a kmalloc object, tagged and charged like any other,
 * except that a normal kmalloc cache's vector comes from the kmalloc
 * caches that keep no extensions (SLAB_ALLOC_NO_OBJ_EXT picks
 * KMALLOC_NO_OBJ_EXT, whose caches are SLAB_NO_OBJ_EXT): there the chain
 * of vectors for vectors ends.
 */
int alloc_slab_obj_exts(struct slab *slab, struct kmem_cache *s,
			gfp_t gfp, unsigned int alloc_flags)
{
	size_t bytes = slab_obj_ext_size(slab) * slab->objects;
	bool new_slab = alloc_flags & SLAB_ALLOC_NEW_SLAB;
	unsigned long old, vec_word;
	void *vec;

	if (is_kmalloc_normal(s))
		alloc_flags |= SLAB_ALLOC_NO_OBJ_EXT;
	alloc_flags &= ~SLAB_ALLOC_NEW_SLAB;
	vec = kmalloc_flags(bytes, (gfp & ~SLL_EXTS_GFP_CLEAR) | __GFP_ZERO,
			    alloc_flags, slab_nid(slab));
	if (!vec) {
		if (!sll_exts_mark_failed(slab) && slab_obj_exts(slab))
			return 0;
		return -ENOMEM;
	}

	vec_word = (unsigned long)vec;
#ifdef CONFIG_MEMCG
	vec_word |= MEMCG_DATA_OBJEXTS;
#endif
	if (new_slab) {
		slab->obj_exts = vec_word;
		goto done;
	}
	do {
		old = READ_ONCE(slab->obj_exts);
		if (old & ~OBJEXTS_FLAGS_MASK) {
			/* another CPU installed one first: use that */
			if (alloc_flags_allow_spinning(alloc_flags))
				kfree(vec);
			else
				kfree_nolock(vec);
			return 0;
		}
		if (old == OBJEXTS_ALLOC_FAIL)
			sll_exts_untagged(slab, vec);
	} while (cmpxchg(&slab->obj_exts, old, vec_word) != old);
done:
	if (alloc_flags_allow_spinning(alloc_flags))
		kmemleak_not_leak(vec);
	return 0;
}

static void free_slab_obj_exts(struct slab *slab)
{
	void *vec = (void *)slab_obj_exts(slab);

	/* also forgets a failed allocation (OBJEXTS_ALLOC_FAIL) */
	slab->obj_exts = 0;
	kfree(vec);
}

/*
 * Whether a new slab of @s gets its vector at once: where every object
 * will want an entry, the objects of a SLAB_ACCOUNT cache with memory
 * cgroups on, and every object while allocation profiling runs, but for
 * the caches that keep no extensions (the vectors' own, the boot caches)
 * and kmemleak's (SLAB_NOLEAKTRACE), whose objects are not tagged.
 */
static bool sll_wants_exts(struct kmem_cache *s)
{
	if (s->flags & SLAB_NO_OBJ_EXT)
		return false;
	if (memcg_kmem_online() && (s->flags & SLAB_ACCOUNT))
		return true;
	return mem_alloc_profiling_enabled() &&
	       !(s->flags & SLAB_NOLEAKTRACE);
}
#else
static inline void free_slab_obj_exts(struct slab *slab)
{
}

static inline bool sll_wants_exts(struct kmem_cache *s)
{
	return false;
}
#endif /* CONFIG_SLAB_OBJ_EXT */

/* Node statistics, and a vector at once where every object wants an entry. */
static void sll_account_slab(struct kmem_cache *s, struct slab *slab,
			     unsigned int order, gfp_t gfp)
{
#ifdef CONFIG_SLAB_OBJ_EXT
	slab->obj_exts = 0;
	/* a slab is made only where spinning is allowed (see above) */
	if (sll_wants_exts(s))
		alloc_slab_obj_exts(slab, s, gfp, SLAB_ALLOC_NEW_SLAB);
#endif
	mod_node_page_state(slab_pgdat(slab), cache_vmstat_idx(s),
			    PAGE_SIZE << order);
}

static void sll_free_slab_pages(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = slab_page(slab);
	unsigned int order = compound_order(page);

	free_slab_obj_exts(slab);
	mod_node_page_state(slab_pgdat(slab), cache_vmstat_idx(s),
			    -(PAGE_SIZE << order));
	clear_bit(PG_active, &slab->flags.f);
	/* the word after slab_list.next is page->mapping: NULL for the pages */
	page->mapping = NULL;
	__folio_clear_slab(page_folio(page));
	free_frozen_pages(page, order);
}

/* ---------------------------------------------------------------------
 * Hooks around the paths
 */

#ifdef CONFIG_MEMCG
/*
 * Charge the objects to the task's memory cgroup when the cache or the
 * call asks for accounting; false when the cgroup is over its limit.
 */
static __always_inline bool memcg_alloc_hook(struct kmem_cache *s,
					     struct list_lru *lru, gfp_t gfp,
					     unsigned int alloc_flags,
					     size_t size, void **p)
{
	bool wanted = (gfp & __GFP_ACCOUNT) || (s->flags & SLAB_ACCOUNT);

	if (likely(!wanted || !memcg_kmem_online()))
		return true;
	return __memcg_slab_post_alloc_hook(s, lru, gfp, alloc_flags, size, p);
}

/* Uncharge what the vector of @slab says was charged. */
static __always_inline void memcg_free_hook(struct kmem_cache *s,
					    struct slab *slab, void **p,
					    int objects)
{
	unsigned long exts = memcg_kmem_online() ? slab_obj_exts(slab) : 0;

	if (likely(!exts) || !slab_needs_objcg(slab))
		return;
	/* the vector lies outside any object: tell KASAN the access is ours */
	get_slab_obj_exts(exts);
	__memcg_slab_free_hook(s, slab, p, objects, exts);
	put_slab_obj_exts(exts);
}
#else
static inline bool memcg_alloc_hook(struct kmem_cache *s,
				    struct list_lru *lru, gfp_t gfp,
				    unsigned int alloc_flags, size_t size,
				    void **p)
{
	return true;
}

static inline void memcg_free_hook(struct kmem_cache *s, struct slab *slab,
				   void **p, int objects)
{
}
#endif /* CONFIG_MEMCG */

#ifdef CONFIG_MEM_ALLOC_PROFILING
DEFINE_STATIC_KEY_MAYBE(CONFIG_MEM_ALLOC_PROFILING_ENABLED_BY_DEFAULT,
			slab_obj_ext_has_codetag_key);

/*
 * Whether vectors have a tag entry (slab_obj_ext_has_codetag()), settled
 * once before the first slab is made: they have, unless profiling can
 * never be switched on in this boot.  Profiling switched off later keeps
 * the entry, as vectors with tags in them may exist.
 */
static void __init sll_codetag_init(void)
{
	bool want = !mem_alloc_profiling_permanently_disabled();

	if (want == static_key_enabled(&slab_obj_ext_has_codetag_key))
		return;
	if (want)
		static_branch_enable(&slab_obj_ext_has_codetag_key);
	else
		static_branch_disable(&slab_obj_ext_has_codetag_key);
}

/*
 * Objects of the caches that keep no extensions, and kmemleak's own
 * (SLAB_NOLEAKTRACE), are not tagged.
 */
static __always_inline bool sll_untagged_cache(struct kmem_cache *s)
{
	return s->flags & (SLAB_NO_OBJ_EXT | SLAB_NOLEAKTRACE);
}

/*
 * Tag @object, just allocated, with the caller's allocation site
 * (current->alloc_tag) and the bytes it takes in its slab, s->size: the
 * site's counters in /proc/allocinfo.  A slab without a vector gets one
 * here; where none can be had the site is marked inaccurate, except for
 * KFENCE's objects, which never have one and are too few to matter.
 */
static noinline void __tag_alloc_hook(struct kmem_cache *s, void *object,
				      gfp_t gfp, unsigned int alloc_flags)
{
	struct alloc_tag *tag = current->alloc_tag;
	struct slabobj_ext *ext;
	unsigned long exts;
	struct slab *slab;

	if (!object || sll_untagged_cache(s) ||
	    (alloc_flags & SLAB_ALLOC_NO_RECURSE))
		return;
	slab = virt_to_slab(object);
	exts = slab_obj_exts(slab);
	if (unlikely(!exts)) {
		if (is_kfence_address(object))
			return;
		if (!alloc_slab_obj_exts(slab, s, gfp, alloc_flags))
			exts = slab_obj_exts(slab);
		if (!exts) {
			if (tag)
				alloc_tag_set_inaccurate(tag);
			return;
		}
	}
	get_slab_obj_exts(exts);
	ext = slab_obj_ext(s, slab, exts, object);
	alloc_tag_add(slab_obj_ext_codetag_ref(slab, ext), tag, s->size);
	put_slab_obj_exts(exts);
}

/* Take the tags of @objects objects of @slab at @p off their sites. */
static noinline void __tag_free_hook(struct kmem_cache *s, struct slab *slab,
				     void **p, int objects)
{
	struct slabobj_ext *ext;
	unsigned long exts;
	int i;

	if (sll_untagged_cache(s))
		return;
	exts = slab_obj_exts(slab);
	if (!exts)
		return;
	get_slab_obj_exts(exts);
	for (i = 0; i < objects; i++) {
		ext = slab_obj_ext(s, slab, exts, p[i]);
		alloc_tag_sub(slab_obj_ext_codetag_ref(slab, ext), s->size);
	}
	put_slab_obj_exts(exts);
}

static __always_inline void tag_alloc_hook(struct kmem_cache *s,
					   void *object, gfp_t gfp,
					   unsigned int alloc_flags)
{
	if (mem_alloc_profiling_enabled())
		__tag_alloc_hook(s, object, gfp, alloc_flags);
}

static __always_inline void tag_free_hook(struct kmem_cache *s,
					  struct slab *slab, void **p,
					  int objects)
{
	if (mem_alloc_profiling_enabled())
		__tag_free_hook(s, slab, p, objects);
}
#else
static inline void sll_codetag_init(void)
{
}

static inline void tag_alloc_hook(struct kmem_cache *s, void *object,
				  gfp_t gfp, unsigned int alloc_flags)
{
}

static inline void tag_free_hook(struct kmem_cache *s, struct slab *slab,
				 void **p, int objects)
{
}
#endif /* CONFIG_MEM_ALLOC_PROFILING */

static __always_inline struct kmem_cache *
slab_pre_alloc_hook(struct kmem_cache *s, gfp_t gfp)
{
	might_alloc(gfp & gfp_allowed_mask);
	if (unlikely(should_failslab(s, gfp & gfp_allowed_mask)))
		return NULL;
	return s;
}

/*
 * After @size objects were taken: KASAN, clearing (@init), kmemleak, the
 * allocation tag, then the memory cgroup charge.  A KFENCE object is
 * cleared by KFENCE itself, which knows how long it is.  False when the
 * charge failed: the objects are then freed with every hook, as the hooks
 * that ran (the tags, a charge of part of a batch) must be undone, and
 * p[] is cleared.
 */
static __always_inline bool slab_post_alloc_hook(struct kmem_cache *s,
						 struct list_lru *lru,
						 gfp_t gfp, unsigned int flags,
						 size_t size, void **p,
						 bool init)
{
	gfp_t kgfp = gfp & gfp_allowed_mask;
	bool kasan_init = false;
	size_t i;

	if (kasan_has_integrated_init()) {
		kasan_init = init;
		init = false;
	}
	for (i = 0; i < size; i++) {
		p[i] = kasan_slab_alloc(s, p[i], kgfp, kasan_init);
		if (init && p[i] && !is_kfence_address(p[i]))
			memset(p[i], 0, s->object_size);
		if (alloc_flags_allow_spinning(flags))
			kmemleak_alloc_recursive(p[i], s->object_size, 1,
						 s->flags, kgfp);
		tag_alloc_hook(s, p[i], gfp, flags);
	}
	if (likely(memcg_alloc_hook(s, lru, gfp, flags, size, p)))
		return true;
	if (alloc_flags_allow_spinning(flags)) {
		kmem_cache_free_bulk(s, size, p);
	} else {
		for (i = 0; i < size; i++)
			kfree_nolock(p[i]);
	}
	memset(p, 0, size * sizeof(*p));
	return false;
}

/*
 * The hooks of one freed object before it goes back; false when it must
 * not (KFENCE took it, KASAN found the free bad or quarantines it).  A
 * KFENCE object is not cleared here: KFENCE clears it itself.
 */
static __always_inline bool slab_free_hook(struct kmem_cache *s, void *x,
					   bool init, bool nolock)
{
	bool rcu = s->flags & SLAB_TYPESAFE_BY_RCU;

	/* what may take locks, or is no object of a nolock allocation */
	if (!nolock) {
		kmemleak_free_recursive(x, s->flags);
		debug_check_no_locks_freed(x, s->object_size);
		if (!(s->flags & SLAB_DEBUG_OBJECTS))
			debug_check_no_obj_freed(x, s->object_size);
		if (!rcu)
			__kcsan_check_access(x, s->object_size,
					     KCSAN_ACCESS_WRITE |
					     KCSAN_ACCESS_ASSERT);
		if (kfence_free(x))
			return false;
	}
	if (kasan_slab_pre_free(s, x))
		return false;
	if (unlikely(init) && !is_kfence_address(x) &&
	    !kasan_has_integrated_init())
		memset(kasan_reset_tag(x), 0, s->object_size);
	return !kasan_slab_free(s, x, init, rcu, nolock);
}

/* Give back @size objects that no hook has seen. */
static void slab_free_raw(struct kmem_cache *s, size_t size, void **p)
{
	struct slab *slab;
	size_t done = 0, nr;

	while (done < size) {
		if (!p[done]) {
			done++;
			continue;
		}
		slab = virt_to_slab(p[done]);
		nr = slab_run(slab, size - done, p + done);
		free_run(s, slab, p + done, nr);
		done += nr;
	}
}

/* ---------------------------------------------------------------------
 * One object, with every hook: what the front end builds on
 */

/* Off the fastpath, out of line so that the fastpath needs no frame. */
static noinline void *sll_alloc_slow(struct kmem_cache *s,
				     struct list_lru *lru, gfp_t gfp,
				     int node)
{
	void *object = __slab_alloc(s, gfp, node);

	if (object)
		wipe_freepointer(s, object);
	slab_post_alloc_hook(s, lru, gfp, SLAB_ALLOC_DEFAULT, 1, &object,
			     slab_want_init_on_alloc(gfp, s));
	return object;
}

/*
 * One object of @s with every hook.  @orig_size: bytes the caller asked
 * for (kmalloc), s->object_size otherwise; a KFENCE object has that many.
 */
static __always_inline void *sll_alloc(struct kmem_cache *s,
				       struct list_lru *lru, gfp_t gfp,
				       int node, size_t orig_size,
				       unsigned long caller)
{
	void *object;
	bool init;

	s = slab_pre_alloc_hook(s, gfp);
	if (unlikely(!s))
		return NULL;
	object = kfence_alloc(s, orig_size, gfp);
	if (unlikely(object)) {
		slab_post_alloc_hook(s, lru, gfp, SLAB_ALLOC_DEFAULT, 1,
				     &object, false);
		return object;
	}
	object = slab_alloc_fast(s, node);
	if (unlikely(!object))
		return sll_alloc_slow(s, lru, gfp, node);
	/* as in the 6.1 layer: one key for init_on_alloc and init_on_free */
	if (static_branch_maybe(CONFIG_INIT_ON_ALLOC_DEFAULT_ON,
				&slub_ll_alloc_init)) {
		wipe_freepointer(s, object);
		init = slab_want_init_on_alloc(gfp, s);
	} else {
		init = gfp & __GFP_ZERO;
	}
	slab_post_alloc_hook(s, lru, gfp, SLAB_ALLOC_DEFAULT, 1, &object,
			     init);
	return object;
}

/*
 * init_on_free: wipe, then free, out of line like the alloc slowpath, so
 * that the free fastpath needs no stack frame for the memset.
 */
static noinline void sll_free_wiped(struct kmem_cache *s, struct slab *slab,
				    void *x)
{
	if (likely(slab_free_hook(s, x, true, false)))
		slab_free_chain(s, slab, x, x, 1);
}

/* Free @x, an object of @s in @slab, with every hook. */
static __always_inline void sll_free(struct kmem_cache *s, struct slab *slab,
				     void *x, unsigned long caller)
{
	memcg_free_hook(s, slab, &x, 1);
	tag_free_hook(s, slab, &x, 1);
	if (unlikely(slab_want_init_on_free(s)))
		sll_free_wiped(s, slab, x);
	else if (likely(slab_free_hook(s, x, false, false)))
		slab_free_chain(s, slab, x, x, 1);
}

/*
 * kmalloc_nolock()'s allocation.  The fastpath needs no lock and
 * tolerates being interrupted anywhere, so it serves every context
 * except one that interrupted this CPU inside an interrupts-off section
 * of @s (an NMI, or a probe there).  The slowpath takes list_lock and
 * reads the task's memory policy: it runs only where interrupts were on,
 * so that nothing below can hold what it needs, never in NMI.  Page-lock
 * mode spins on page locks: no.
 */
static void *sll_alloc_nolock(struct kmem_cache *s, gfp_t gfp, int node,
			      size_t orig_size)
{
	void *object;

	if (unlikely(s->pagelock) || sll_in_irqoff(s))
		return NULL;
	object = slab_alloc_fast(s, node);
	if (unlikely(!object)) {
		if (in_nmi() || irqs_disabled())
			return NULL;
		object = __slab_alloc(s, gfp | __GFP_NOWARN, node);
		if (!object)
			return NULL;
	}
	wipe_freepointer(s, object);
	if (!slab_post_alloc_hook(s, NULL, gfp, SLAB_ALLOC_NOLOCK, 1, &object,
				  slab_want_init_on_alloc(gfp, s)))
		return NULL;
	return object;
}

/*
 * kfree_nolock()'s free.  The hooks run here (KASAN without quarantine);
 * the object goes onto this CPU's list if its slab is this CPU's slab and
 * the context may touch it.  Otherwise false: the caller defers the
 * object and later gives it to sll_free_deferred(), hooks done.
 */
static bool sll_free_nolock(struct kmem_cache *s, struct slab *slab, void *x)
{
	memcg_free_hook(s, slab, &x, 1);
	tag_free_hook(s, slab, &x, 1);
	if (!slab_free_hook(s, x, slab_want_init_on_free(s), true))
		return true;
	if (unlikely(s->pagelock) || sll_in_irqoff(s))
		return false;
	return slab_free_chain_cpu(s, slab, x, x, 1);
}

/* An object kfree_nolock() deferred, from a context that may lock. */
static void sll_free_deferred(struct kmem_cache *s, struct slab *slab,
			      void *x)
{
	slab_free_chain(s, slab, x, x, 1);
}

/* Raw bulk for sheaves: no hook, all or nothing. */
static bool sll_alloc_bulk_raw(struct kmem_cache *s, gfp_t gfp, size_t size,
			       void **p)
{
	size_t got = alloc_bulk_raw(s, gfp, size, p);

	if (likely(got == size))
		return true;
	slab_free_raw(s, got, p);
	return false;
}

static void sll_free_bulk_raw(struct kmem_cache *s, size_t size, void **p)
{
	slab_free_raw(s, size, p);
}

static bool sll_alloc_hooks(struct kmem_cache *s, struct list_lru *lru,
			    gfp_t gfp, size_t size, void **p, size_t orig_size)
{
	return slab_post_alloc_hook(s, lru, gfp, SLAB_ALLOC_DEFAULT, size, p,
				    slab_want_init_on_alloc(gfp, s));
}

/* What ksize() may hand out of an object of @s. */
static size_t sll_usable_size(struct kmem_cache *s)
{
	if (IS_ENABLED(CONFIG_KASAN) || s->ctor ||
	    (s->flags & SLAB_TYPESAFE_BY_RCU))
		return s->object_size;
	return s->offset ? s->object_size : s->size;
}

/* ---------------------------------------------------------------------
 * Object API
 */

void *kmem_cache_alloc_noprof(struct kmem_cache *s, gfp_t gfp)
{
	void *object = sll_alloc(s, NULL, gfp, NUMA_NO_NODE, s->object_size,
				 _RET_IP_);

	trace_kmem_cache_alloc(_RET_IP_, object, s, gfp, NUMA_NO_NODE);
	return object;
}
EXPORT_SYMBOL(kmem_cache_alloc_noprof);

void *kmem_cache_alloc_lru_noprof(struct kmem_cache *s, struct list_lru *lru,
				  gfp_t gfp)
{
	void *object = sll_alloc(s, lru, gfp, NUMA_NO_NODE, s->object_size,
				 _RET_IP_);

	trace_kmem_cache_alloc(_RET_IP_, object, s, gfp, NUMA_NO_NODE);
	return object;
}
EXPORT_SYMBOL(kmem_cache_alloc_lru_noprof);

void *kmem_cache_alloc_node_noprof(struct kmem_cache *s, gfp_t gfp, int node)
{
	void *object = sll_alloc(s, NULL, gfp, node, s->object_size,
				 _RET_IP_);

	trace_kmem_cache_alloc(_RET_IP_, object, s, gfp, node);
	return object;
}
EXPORT_SYMBOL(kmem_cache_alloc_node_noprof);

/*
 * The slab of @x if it is an object of @s.  With freelist hardening a
 * pointer that is not is reported and leaked: freeing it into @s would
 * corrupt the cache.
 */
static __always_inline struct slab *sll_slab_of(struct kmem_cache *s,
						const void *x)
{
	struct slab *slab = virt_to_slab(x);

	if (IS_ENABLED(CONFIG_SLAB_FREELIST_HARDENED) &&
	    unlikely(!slab || slab->slab_cache != s)) {
		WARN_ONCE(1, "SLUB-LL: %s: object %p is not of this cache\n",
			  s->name, x);
		return NULL;
	}
	return slab;
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct slab *slab = sll_slab_of(s, x);

	if (unlikely(!slab))
		return;
	trace_kmem_cache_free(_RET_IP_, x, s);
	sll_free(s, slab, x, _RET_IP_);
}
EXPORT_SYMBOL(kmem_cache_free);

bool kmem_cache_alloc_bulk_noprof(struct kmem_cache *s, gfp_t gfp,
				  size_t size, void **p)
{
	size_t got;

	if (!size)
		return false;
	s = slab_pre_alloc_hook(s, gfp);
	if (unlikely(!s))
		return false;
	got = alloc_bulk_raw(s, gfp, size, p);
	if (unlikely(got < size)) {
		slab_free_raw(s, got, p);
		return false;
	}
	return slab_post_alloc_hook(s, NULL, gfp, SLAB_ALLOC_DEFAULT, size, p,
				    slab_want_init_on_alloc(gfp, s));
}
EXPORT_SYMBOL(kmem_cache_alloc_bulk_noprof);

static void sll_kfree_large(struct page *page, void *object);

/*
 * Free the run at the start of @p whose objects share a slab, as one
 * chain; returns how many entries were consumed.  @s may be NULL
 * (kfree_bulk), then each object names its cache.  An object a hook
 * keeps is dropped from the array.
 */
static size_t free_bulk_run(struct kmem_cache *s, size_t size, void **p)
{
	struct slab *slab;
	size_t nr, i;
	bool init;

	if (!p[0])
		return 1;
	slab = virt_to_slab(p[0]);
	if (!s) {
		if (unlikely(!slab)) {
			sll_kfree_large(virt_to_page(p[0]), p[0]);
			return 1;
		}
		s = slab->slab_cache;
	} else {
		slab = sll_slab_of(s, p[0]);
		if (!slab)
			return 1;
	}

	nr = slab_run(slab, size, p);
	memcg_free_hook(s, slab, p, nr);
	tag_free_hook(s, slab, p, nr);
	init = slab_want_init_on_free(s);
	for (i = 0; i < nr; i++)
		if (!slab_free_hook(s, p[i], init, false))
			p[i] = NULL;
	free_run(s, slab, p, nr);
	return nr;
}

#ifdef CONFIG_MEMCG
/*
 * kmem_cache_charge() of a slab object: charge it to the current memory
 * cgroup unless it is charged already or its cache never charges.
 */
static bool sll_charge_slab_object(struct kmem_cache *s, struct slab *slab,
				   void *p, gfp_t gfp)
{
	unsigned long exts;
	bool charged = false;

	if (!memcg_kmem_online() || !cache_needs_objcg(s))
		return true;
	exts = slab_obj_exts(slab);
	if (exts) {
		get_slab_obj_exts(exts);
		charged = slab_obj_ext_objcg(slab, slab_obj_ext(s, slab, exts, p));
		put_slab_obj_exts(exts);
	}
	if (charged)
		return true;
	return __memcg_slab_post_alloc_hook(s, NULL, gfp, SLAB_ALLOC_DEFAULT,
					    1, &p);
}
#endif /* CONFIG_MEMCG */

/* ---------------------------------------------------------------------
 * Cache life cycle
 */

/* SLUB-LL keeps no debug flags; warn_debug_flags() says so per cache. */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name)
{
	return flags & ~SLL_DEBUG_FLAGS;
}

int do_kmem_cache_create(struct kmem_cache *s, const char *name,
			 unsigned int size, struct kmem_cache_args *args,
			 slab_flags_t flags)
{
	unsigned int freeptr = SLL_FREEPTR_AUTO;

	s->name = name;
	s->size = size;
	s->object_size = size;
	s->align = args->align;
	s->ctor = args->ctor;
	s->sheaf_capacity = args->sheaf_capacity;
#ifdef CONFIG_HARDENED_USERCOPY
	s->useroffset = args->useroffset;
	s->usersize = args->usersize;
#endif
	if (args->use_freeptr_offset)
		freeptr = args->freeptr_offset;
	return cache_setup(s, flags, freeptr);
}

#ifdef CONFIG_SLUB_LL_SYSFS
/*
 * The common code merged @name into @s.  A cache asking for debug flags
 * is never merged (SLAB_NEVER_MERGE), so there is nothing to warn of.
 */
int sysfs_slab_alias(struct kmem_cache *s, const char *name)
{
	return slub_ll_sysfs_alias(s, name);
}
#endif

/* ---------------------------------------------------------------------
 * Memory hotplug: 7.3 tells of nodes gaining their first memory and
 * losing their last
 */

#ifdef CONFIG_MEMORY_HOTPLUG
static int slub_ll_node_callback(struct notifier_block *nb,
				 unsigned long action, void *arg)
{
	struct node_notify *nn = arg;
	int err = 0;

	switch (action) {
	case NODE_ADDING_FIRST_MEMORY:
		err = slub_ll_node_going_online(nn->nid);
		break;
	case NODE_REMOVING_LAST_MEMORY:
		slub_ll_shrink_all();
		break;
	case NODE_CANCEL_ADDING_FIRST_MEMORY:
	case NODE_REMOVED_LAST_MEMORY:
		slub_ll_node_offline(nn->nid);
		break;
	}
	return err ? notifier_from_errno(err) : NOTIFY_OK;
}
#endif /* CONFIG_MEMORY_HOTPLUG */

/* The kmalloc front end, kmalloc_nolock(), the sheaf API. */
#include "slub_ll_front.c"

/* ---------------------------------------------------------------------
 * Boot
 */

void __init kmem_cache_init(void)
{
	/* SLUB-LL has no debug mode that could leak hashed pointers */
	hash_pointers_finalize(false);
	sll_codetag_init();
	boot_caches();
	setup_kmalloc_cache_index_table();
	create_kmalloc_caches();
	boot_finish();
#ifdef CONFIG_MEMORY_HOTPLUG
	hotplug_node_notifier(slub_ll_node_callback, SLAB_CALLBACK_PRI);
#endif
}

void __init kmem_cache_init_late(void)
{
#ifndef CONFIG_SYSFS
	/* no sysfs to wait for: the allocator is complete */
	slab_state = FULL;
#endif
}
