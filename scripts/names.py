"""Names as frequent as in life, for the synthetic areas of scripts/gen-city
and scripts/bench/gen-plain-city.py (`--names real`, issue 16 item 1).

Surnames are drawn by their real weights (王 and 李 about 7% each, the
thirty commonest 65% together, a tail of 120 sharing the rest), given names
are one character (15%) or two, each from a Zipf-weighted pool. At 1,000,000
residents the commonest full names (王伟, 李伟, 张伟, ...) are then held by
about a thousand residents each (0.1%), while a few hundred thousand names
are held by one. RealNames().name(h) turns a 64-bit number into a name, so
that a generator can draw from its own random stream (gen-city) or from a
hash of the row number (gen-plain-city, which streams). Standard library
only.
"""
import bisect

# the commonest surnames with their approximate shares (per mille), then a
# tail sharing what is left
REAL_SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 21), ("赵", 20), ("吴", 19),
    ("周", 19), ("徐", 15), ("孙", 15), ("马", 13), ("朱", 13), ("胡", 12), ("郭", 12), ("何", 11), ("高", 10),
    ("林", 10), ("罗", 9), ("郑", 9), ("梁", 9), ("谢", 8), ("宋", 8), ("唐", 7), ("许", 7), ("韩", 7), ("冯", 7),
    ("邓", 7), ("曹", 6))
TAIL_SURNAMES = ("彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
                 "薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁"
                 "岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管")
# given names: the last character (or the only one), and the first of two
GIVEN1 = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力波宁飞鹏斌凯浩亮俊峰帅鑫雪琳婷"
          "倩颖佳欣悦晨阳旭东鹏宇博晶丹岩琴慧莉莹燕梅蕾薇雯璐洁丽芬兵松林健斌瑜威哲毅昊然涵")
GIVEN2 = ("子梓欣宇浩一雨佳思嘉俊文晨家明志建海国永小春晓金天玉立新云秀红美丽德泽若诗梦雅可心博铭睿轩"
          "涵怡萱琪妍彤萌依瑶婷静敏慧颖杰涛鹏磊强军伟华辉斌超勇刚平亮波宁阳洋凯飞龙虎鑫森林峰山川江河"
          "霞燕琳莹兰梅芳芬娟娜洁清淑贞珍英荣桂凤翠花蓉萍红艳丹晶露雪冰月星辰宏宝成安康福寿禄喜乐")
QUANT = 1 << 16     # slots of a lookup table: 16 bits of the number pick an entry


def table(weights):
    """A lookup table of QUANT slots: slot -> index, by the weights."""
    total = float(sum(weights))
    cum, acc = [], 0.0
    for w in weights:
        acc += w / total
        cum.append(acc)
    return [min(bisect.bisect_right(cum, (k + 0.5) / QUANT), len(weights) - 1) for k in range(QUANT)]


def zipf(n, s):
    return [1.0 / (k + 1) ** s for k in range(n)]


class RealNames:
    def __init__(self):
        self.surnames = [c for c, _ in REAL_SURNAMES] + list(TAIL_SURNAMES)
        head = sum(w for _, w in REAL_SURNAMES)
        tail_each = (1000.0 - head) / len(TAIL_SURNAMES)
        self.sur = table([w for _, w in REAL_SURNAMES] + [tail_each] * len(TAIL_SURNAMES))
        self.g1 = table(zipf(len(GIVEN1), 0.8))
        self.g2 = table(zipf(len(GIVEN2), 0.9))

    def name(self, h):
        """The name the 64-bit number H draws: bits 0-15 pick the surname,
        H >> 16 modulo 100 one given character or two, bits 24-39 and 40-55
        the characters."""
        s = self.surnames[self.sur[h & 0xFFFF]]
        if (h >> 16) % 100 < 15:  # one-character given names
            return s + GIVEN1[self.g1[(h >> 24) & 0xFFFF]]
        return s + GIVEN2[self.g2[(h >> 24) & 0xFFFF]] + GIVEN1[self.g1[(h >> 40) & 0xFFFF]]
