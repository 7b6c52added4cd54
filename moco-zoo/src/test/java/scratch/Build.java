package scratch;

import io.mocoj.zoo.ZooBuilder;
import io.mocoj.zoo.ZooRecipe;
import java.nio.file.Path;

public class Build {
    public static void main(String[] a) {
        long t0 = System.nanoTime();
        ZooBuilder.build(Path.of(a[0]), a[1].equals("mini") ? ZooRecipe.mini() : ZooRecipe.standard(), System.out::println);
        System.out.println("total " + (System.nanoTime() - t0) / 1e9);
    }
}
