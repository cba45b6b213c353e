package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.KernelFunction;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * lib/sort.c's heapsort, ported because it is not stable: the order it leaves equal elements in decides which
 * dynamic reserved-memory region is allocated first. 4.4 has the classic sift-down; 5.1 and later the bottom-up
 * variant, which can order ties differently.
 */
final class LibSort {

    private LibSort() {
    }

    @KernelFunction(symbol = "sort", file = "lib/sort.c")
    static <T> void sort(List<T> a, Comparator<? super T> cmp, OfProfile profile) {
        if (profile.is44()) {
            classic(a, cmp);
        } else {
            bottomUp(a, cmp);
        }
    }

    private static <T> void classic(List<T> a, Comparator<? super T> cmp) {
        int n = a.size();
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(a, cmp, i, n);
        }
        for (int i = n - 1; i > 0; i--) {
            Collections.swap(a, 0, i);
            siftDown(a, cmp, 0, i);
        }
    }

    private static <T> void siftDown(List<T> a, Comparator<? super T> cmp, int r, int n) {
        for (int c; r * 2 + 1 < n; r = c) {
            c = r * 2 + 1;
            if (c < n - 1 && cmp.compare(a.get(c), a.get(c + 1)) < 0) {
                c++;
            }
            if (cmp.compare(a.get(r), a.get(c)) >= 0) {
                break;
            }
            Collections.swap(a, r, c);
        }
    }

    private static <T> void bottomUp(List<T> a, Comparator<? super T> cmp) {
        int n = a.size();
        int h = n / 2;
        if (h == 0) {
            return;
        }
        while (true) {
            if (h > 0) {
                h--;
            } else if (--n > 0) {
                Collections.swap(a, 0, n);
            } else {
                return;
            }
            // find the leaf path with one compare per level, then back up to where a[h] belongs
            int b = h;
            int c;
            int d;
            while ((d = (c = 2 * b + 1) + 1) < n) {
                b = cmp.compare(a.get(c), a.get(d)) >= 0 ? c : d;
            }
            if (d == n) {
                b = c;
            }
            while (b != h && cmp.compare(a.get(h), a.get(b)) >= 0) {
                b = (b - 1) / 2;
            }
            c = b;
            while (b != h) {
                b = (b - 1) / 2;
                Collections.swap(a, b, c);
            }
        }
    }
}
