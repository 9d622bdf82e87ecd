// SPDX-License-Identifier: GPL-2.0
/*
 * SLUB-LL on Linux 6.1: the entry points this kernel calls a slab
 * allocator by, and the hooks of its common code around them.  Included
 * at the end of mm/slub_ll.c, the allocator core, so that the core's
 * fastpath inlines into them; mm/slub_ll_tree.h holds the primitives the
 * core needs from this kernel.  The same file exists for every tree the
 * series targets.
 *
 * In 6.1 the common slab code (mm/slab_common.c) owns kmalloc(), kfree()
 * and krealloc(), merging of caches, and the hooks before and after an
 * allocation (mm/slab.h: failslab, memcg charging, KASAN, kmemleak); it
 * calls __kmem_cache_alloc_node() and __kmem_cache_free() here.
 */

/* ---------------------------------------------------------------------
 * Hooks around the paths
 */

/*
 * Allocation off the fastpath, hooks included, out of line so that the
 * fastpath needs no stack frame.
 */
static noinline void *slab_alloc_slow(struct kmem_cache *s,
				      struct obj_cgroup *objcg, gfp_t gfp,
				      int node)
{
	void *object = __slab_alloc(s, gfp, node);

	if (object)
		wipe_freepointer(s, object);
	slab_post_alloc_hook(s, objcg, gfp, 1, &object,
			     slab_want_init_on_alloc(gfp, s));
	return object;
}

/*
 * The hooks after a fastpath allocation.  Unless init_on_alloc or
 * init_on_free is on (one key for both), only __GFP_ZERO asks for a
 * cleared object, so the fastpath tests one key as it did for
 * init_on_alloc alone.
 */
static __always_inline void *slab_alloc_done(struct kmem_cache *s,
					     struct obj_cgroup *objcg,
					     gfp_t gfp, void *object)
{
	bool init;

	if (static_branch_maybe(CONFIG_INIT_ON_ALLOC_DEFAULT_ON,
				&slub_ll_alloc_init)) {
		wipe_freepointer(s, object);
		init = slab_want_init_on_alloc(gfp, s);
	} else {
		init = gfp & __GFP_ZERO;
	}
	slab_post_alloc_hook(s, objcg, gfp, 1, &object, init);
	return object;
}

static __always_inline void *slab_alloc_node(struct kmem_cache *s,
					     struct list_lru *lru, gfp_t gfp,
					     int node, size_t orig_size)
{
	struct obj_cgroup *objcg = NULL;
	void *object;

	s = slab_pre_alloc_hook(s, lru, &objcg, 1, gfp);
	if (unlikely(!s))
		return NULL;
	/*
	 * Now and then, an object from the KFENCE pool instead.  It has
	 * @orig_size bytes, not s->object_size, and KFENCE zeroes it itself
	 * when asked to: the hook must not.
	 */
	object = kfence_alloc(s, orig_size, gfp);
	if (unlikely(object)) {
		slab_post_alloc_hook(s, objcg, gfp, 1, &object, false);
		return object;
	}
	object = slab_alloc_fast(s, node);
	if (unlikely(!object))
		return slab_alloc_slow(s, objcg, gfp, node);
	return slab_alloc_done(s, objcg, gfp, object);
}

/* Debug hooks on every freed object: empty in production kernels. */
static __always_inline void slab_free_hooks(struct kmem_cache *s, void *x)
{
	kmemleak_free_recursive(x, s->flags);
	if (!(s->flags & SLAB_DEBUG_OBJECTS)) {
		debug_check_no_locks_freed(x, s->object_size);
		debug_check_no_obj_freed(x, s->object_size);
	}
}

/*
 * The hooks of one object of a bulk free; false when KASAN keeps the
 * object (in its quarantine, or because the free is bad).  A KFENCE
 * object is not wiped: see slab_free_wiped().
 */
static __always_inline bool slab_free_prepare(struct kmem_cache *s, void *x)
{
	bool init = slab_want_init_on_free(s) && !is_kfence_address(x);

	slab_free_hooks(s, x);
	if (init)
		memset(x, 0, s->object_size);
	return !kasan_slab_free(s, x, init);
}

/*
 * init_on_free: wipe, then free; out of line like the alloc slowpath.
 * A KFENCE object is left alone: it is only as long as its caller asked
 * for, may end right at KFENCE's guard page, and kfence_free() wipes it
 * itself.
 */
static noinline void slab_free_wiped(struct kmem_cache *s, struct slab *slab,
				     void *x)
{
	bool init = !is_kfence_address(x);

	if (init)
		memset(x, 0, s->object_size);
	if (!kasan_slab_free(s, x, init))
		slab_free_chain(s, slab, x, x, 1);
}

/*
 * Free one object.  The memory cgroup is uncharged first; KASAN may then
 * keep the object for a while (it comes back through ___cache_free()).
 */
static __always_inline void slab_free(struct kmem_cache *s, void *x)
{
	struct slab *slab = virt_to_slab(x);

	memcg_slab_free_hook(s, slab, &x, 1);
	slab_free_hooks(s, x);
	if (unlikely(slab_want_init_on_free(s)))
		slab_free_wiped(s, slab, x);
	else if (!kasan_slab_free(s, x, false))
		slab_free_chain(s, slab, x, x, 1);
}

/* ---------------------------------------------------------------------
 * Object API
 */

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	void *object = slab_alloc_node(s, NULL, gfp, NUMA_NO_NODE,
				       s->object_size);

	trace_kmem_cache_alloc(_RET_IP_, object, s, gfp, NUMA_NO_NODE);
	return object;
}
EXPORT_SYMBOL(kmem_cache_alloc);

void *kmem_cache_alloc_lru(struct kmem_cache *s, struct list_lru *lru,
			   gfp_t gfp)
{
	void *object = slab_alloc_node(s, lru, gfp, NUMA_NO_NODE,
				       s->object_size);

	trace_kmem_cache_alloc(_RET_IP_, object, s, gfp, NUMA_NO_NODE);
	return object;
}
EXPORT_SYMBOL(kmem_cache_alloc_lru);

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node)
{
	void *object = slab_alloc_node(s, NULL, gfp, node, s->object_size);

	trace_kmem_cache_alloc(_RET_IP_, object, s, gfp, node);
	return object;
}
EXPORT_SYMBOL(kmem_cache_alloc_node);

/* kmalloc() of the common code lands here, tracing done there */
void *__kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node,
			      size_t orig_size, unsigned long caller)
{
	return slab_alloc_node(s, NULL, gfp, node, orig_size);
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	s = cache_from_obj(s, x);
	if (!s)
		return;
	trace_kmem_cache_free(_RET_IP_, x, s);
	slab_free(s, x);
}
EXPORT_SYMBOL(kmem_cache_free);

/* kfree() of the common code lands here */
void __kmem_cache_free(struct kmem_cache *s, void *x, unsigned long caller)
{
	slab_free(s, x);
}

int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t size,
			  void **p)
{
	struct obj_cgroup *objcg = NULL;
	size_t got;

	s = slab_pre_alloc_hook(s, NULL, &objcg, size, gfp);
	if (unlikely(!s))
		return 0;

	got = alloc_bulk_raw(s, gfp, size, p);
	if (unlikely(got < size)) {
		slab_post_alloc_hook(s, objcg, gfp, got, p, false);
		kmem_cache_free_bulk(s, got, p);
		return 0;
	}
	slab_post_alloc_hook(s, objcg, gfp, size, p,
			     slab_want_init_on_alloc(gfp, s));
	return size;
}
EXPORT_SYMBOL(kmem_cache_alloc_bulk);

/*
 * Free the run at the start of @p whose objects share a slab, as one
 * chain; returns how many entries were consumed.  @s may be NULL
 * (kfree_bulk), then each object names its cache.  An object KASAN keeps
 * is dropped from the array.
 */
static size_t free_bulk_run(struct kmem_cache *s, size_t size, void **p)
{
	struct folio *folio;
	struct slab *slab;
	size_t nr, i;

	if (!p[0])
		return 1;
	folio = virt_to_folio(p[0]);
	if (!s) {
		if (unlikely(!folio_test_slab(folio))) {
			free_large_kmalloc(folio, p[0]);
			return 1;
		}
		s = folio_slab(folio)->slab_cache;
	} else {
		s = cache_from_obj(s, p[0]);
		if (!s)
			return 1;
	}
	slab = folio_slab(folio);

	nr = slab_run(slab, size, p);
	memcg_slab_free_hook(s, slab, p, nr);
	for (i = 0; i < nr; i++)
		if (!slab_free_prepare(s, p[i]))
			p[i] = NULL;
	free_run(s, slab, p, nr);
	return nr;
}

/* ---------------------------------------------------------------------
 * Cache life cycle
 */

/*
 * SLUB's debugging flags are dropped (nothing is to key on them: SLUB's
 * init_on_free, for one, skips SLAB_POISON caches).  warn_debug_flags()
 * says so once for each cache created or merged with any.
 */
slab_flags_t kmem_cache_flags(unsigned int object_size, slab_flags_t flags,
			      const char *name)
{
	return flags & ~SLL_DEBUG_FLAGS;
}

int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags)
{
	return cache_setup(s, flags, SLL_FREEPTR_AUTO);
}

struct kmem_cache *
__kmem_cache_alias(const char *name, unsigned int size, unsigned int align,
		   slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = find_mergeable(size, align, flags, name, ctor);

	if (s) {
		warn_debug_flags(name, flags);
		s->refcount++;
		s->object_size = max(s->object_size, size);
		if (slub_ll_sysfs_alias(s, name))
			pr_err("SLUB-LL: no sysfs alias %s for cache %s\n",
			       name, s->name);
	}
	return s;
}

/* ---------------------------------------------------------------------
 * Memory hotplug: 6.1 tells of memory blocks, with the node whose normal
 * memory comes or goes
 */

#ifdef CONFIG_MEMORY_HOTPLUG
static int slub_ll_memory_callback(struct notifier_block *nb,
				   unsigned long action, void *arg)
{
	struct memory_notify *mn = arg;
	int nid = mn->status_change_nid_normal;
	int err = 0;

	switch (action) {
	case MEM_GOING_ONLINE:
		if (nid >= 0)
			err = slub_ll_node_going_online(nid);
		break;
	case MEM_GOING_OFFLINE:
		slub_ll_shrink_all();
		break;
	case MEM_OFFLINE:
	case MEM_CANCEL_ONLINE:
		if (nid >= 0)
			slub_ll_node_offline(nid);
		break;
	}
	return err ? notifier_from_errno(err) : NOTIFY_OK;
}
#endif /* CONFIG_MEMORY_HOTPLUG */

/* ---------------------------------------------------------------------
 * Boot
 */

void __init kmem_cache_init(void)
{
	boot_caches();
	setup_kmalloc_cache_index_table();
	create_kmalloc_caches(0);
	boot_finish();
#ifdef CONFIG_MEMORY_HOTPLUG
	hotplug_memory_notifier(slub_ll_memory_callback, SLAB_CALLBACK_PRI);
#endif
}

void __init kmem_cache_init_late(void)
{
#ifndef CONFIG_SYSFS
	/* no sysfs to wait for: the allocator is complete */
	slab_state = FULL;
#endif
}

/* ---------------------------------------------------------------------
 * /proc/slabinfo: SLUB-LL has no tunables there
 */

void slabinfo_show_stats(struct seq_file *m, struct kmem_cache *s)
{
}

ssize_t slabinfo_write(struct file *file, const char __user *buffer,
		       size_t count, loff_t *ppos)
{
	return -EIO;
}
