/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What mm/slab.h and include/linux/slab.h give an allocator, reduced to
 * what mm/slub_ll.c uses.  Included from sll_kernel.h only.
 */
#ifndef SLL_SLAB_H
#define SLL_SLAB_H

enum slab_state { DOWN, PARTIAL, PARTIAL_NODE, UP, FULL };
extern enum slab_state slab_state;
extern struct mutex slab_mutex;
extern struct list_head slab_caches;
extern struct kmem_cache *kmem_cache;
extern bool init_on_alloc, init_on_free;

struct slabinfo {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long active_slabs;
	unsigned long num_slabs;
	unsigned long shared_avail;
	unsigned int limit;
	unsigned int batchcount;
	unsigned int shared;
	unsigned int objects_per_slab;
	unsigned int cache_order;
};

#define KS_ADDRS_COUNT 16
struct kmem_obj_info {
	void *kp_ptr;
	struct slab *kp_slab;
	void *kp_objp;
	unsigned long kp_data_offset;
	struct kmem_cache *kp_slab_cache;
	void *kp_ret;
	void *kp_stack[KS_ADDRS_COUNT];
	void *kp_free_stack[KS_ADDRS_COUNT];
};

#define slab_folio(s) ((struct folio *)(s))
#define folio_slab(f) ((struct slab *)(f))

static inline void *slab_address(const struct slab *slab)
{
	return folio_address(slab_folio(slab));
}
static inline int slab_nid(const struct slab *slab)
{
	return sll_page_nid[(const struct page *)slab - sll_pages];
}
static inline int slab_order(const struct slab *slab)
{
	return folio_order(slab_folio(slab));
}
static inline bool slab_test_pfmemalloc(const struct slab *slab)
{
	return __atomic_load_n(&slab_folio(slab)->page.flags, __ATOMIC_RELAXED) &
	       (1UL << PG_active);
}
static inline void slab_set_pfmemalloc(struct slab *slab)
{
	__atomic_fetch_or(&slab_folio(slab)->page.flags, 1UL << PG_active,
			  __ATOMIC_RELAXED);
}
static inline void __slab_clear_pfmemalloc(struct slab *slab)
{
	__atomic_fetch_and(&slab_folio(slab)->page.flags, ~(1UL << PG_active),
			   __ATOMIC_RELAXED);
}
/* O(1): one table entry per arena page, NULL unless the page is a slab's */
static inline struct slab *virt_to_slab(const void *addr)
{
	return sll_page_slab[sll_pfn(addr)];
}
static inline struct kmem_cache_node *get_node(struct kmem_cache *s, int node)
{
	return s->node[node];
}
#define for_each_kmem_cache_node(s, node, n) \
	for ((node) = 0; (node) < (int)nr_node_ids; (node)++) \
		if (((n) = get_node(s, node)))

/*
 * The common code sizes the slab's memcg vector by objs_per_slab() here:
 * the slab must know its cache and its object count by then.
 */
static inline void account_slab(struct slab *slab, int order,
				struct kmem_cache *s, gfp_t gfp)
{
	BUG_ON(slab->slab_cache != s || !slab->objects);
}
static inline void unaccount_slab(struct slab *slab, int order,
				  struct kmem_cache *s) { }

static inline struct kmem_cache *slab_pre_alloc_hook(struct kmem_cache *s,
		struct list_lru *lru, struct obj_cgroup **objcgp,
		size_t size, gfp_t flags)
{
	return s;
}
static inline void slab_post_alloc_hook(struct kmem_cache *s,
		struct obj_cgroup *objcg, gfp_t flags, size_t size, void **p,
		bool init)
{
	size_t i;

	if (unlikely(init))
		for (i = 0; i < size; i++)
			memset(p[i], 0, s->object_size);
}
static inline bool slab_want_init_on_alloc(gfp_t flags, struct kmem_cache *c)
{
	if (unlikely(init_on_alloc)) {
		if (c->ctor)
			return false;
		if (c->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))
			return flags & __GFP_ZERO;
		return true;
	}
	return flags & __GFP_ZERO;
}
/* include/linux/mm.h: the two boot options, for any memory */
static inline bool want_init_on_alloc(gfp_t flags)
{
	return init_on_alloc || (flags & __GFP_ZERO);
}
static inline bool want_init_on_free(void)
{
	return init_on_free;
}
static inline bool slab_want_init_on_free(struct kmem_cache *c)
{
	if (unlikely(init_on_free))
		return !(c->ctor ||
			 (c->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)));
	return false;
}
static inline struct kmem_cache *cache_from_obj(struct kmem_cache *s, void *x)
{
	return s;
}

void create_boot_cache(struct kmem_cache *s, const char *name,
		       unsigned int size, slab_flags_t flags,
		       unsigned int useroffset, unsigned int usersize);
void setup_kmalloc_cache_index_table(void);
void create_kmalloc_caches(slab_flags_t flags);
struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
		slab_flags_t flags, const char *name, void (*ctor)(void *));
void free_large_kmalloc(struct folio *folio, void *object);

/* what the allocator provides (mm/slab.h) */
int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags);
struct kmem_cache *__kmem_cache_alias(const char *name, unsigned int size,
		unsigned int align, slab_flags_t flags, void (*ctor)(void *));
slab_flags_t kmem_cache_flags(unsigned int object_size, slab_flags_t flags,
			      const char *name);
bool __kmem_cache_empty(struct kmem_cache *s);
int __kmem_cache_shutdown(struct kmem_cache *s);
void __kmem_cache_release(struct kmem_cache *s);
int __kmem_cache_shrink(struct kmem_cache *s);
void *__kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node,
			      size_t orig_size, unsigned long caller);
void __kmem_cache_free(struct kmem_cache *s, void *x, unsigned long caller);
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);
void slabinfo_show_stats(struct seq_file *m, struct kmem_cache *s);
ssize_t slabinfo_write(struct file *file, const char __user *buffer,
		       size_t count, loff_t *ppos);
void __kmem_obj_info(struct kmem_obj_info *kpp, void *object,
		     struct slab *slab);
void __check_heap_object(const void *ptr, unsigned long n,
			 const struct slab *slab, bool to_user);

/* include/linux/slab.h */
void kmem_cache_init(void);
void kmem_cache_init_late(void);
void *kmem_cache_alloc_lru(struct kmem_cache *s, struct list_lru *lru,
			   gfp_t gfpflags);
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size,
			  void **p);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node);
void kmem_cache_free(struct kmem_cache *s, void *objp);
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p);
static inline void *kmem_cache_zalloc(struct kmem_cache *k, gfp_t flags)
{
	return kmem_cache_alloc(k, flags | __GFP_ZERO);
}

#endif /* SLL_SLAB_H */
